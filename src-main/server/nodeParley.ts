import { readFileSync } from 'node:fs'
import Conf from 'conf'
import { bootParley, openWorkstation } from '../core/app/boot.ts'
import type { Parley } from '../core/app/parley.ts'

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

/** Parley's core as the Node host runs it: same data directory and settings file as the desktop app. */
export async function openNodeParley(env: NodeJS.ProcessEnv = process.env): Promise<Parley> {
  const workstation = await openWorkstation({ env, openSettingsFile: (cwd, configName) => new Conf({ cwd, configName, projectName: 'parley' }) })
  return bootParley({ version: packageJson.version, env, workstation })
}
