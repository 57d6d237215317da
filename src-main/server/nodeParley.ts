import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Conf from 'conf'
import { resolveDataDir } from '../core/app/dataDir.ts'
import { createStderrLogger } from '../core/app/logger.ts'
import { detectMode } from '../core/app/mode.ts'
import { createParley, type Parley } from '../core/app/parley.ts'
import { quarantineCorruptJson, SETTINGS_FILE_NAME } from '../core/settings/settingsFile.ts'

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

/** Parley's core as the Node host runs it: same data directory and settings file as the desktop app. */
export async function openNodeParley(env: NodeJS.ProcessEnv = process.env): Promise<Parley> {
  const log = createStderrLogger()
  const dataDir = resolveDataDir(env)
  const moved = quarantineCorruptJson(join(dataDir, `${SETTINGS_FILE_NAME}.json`))
  if (moved) log.warn('settings file was not valid JSON; kept it aside and started with defaults', { kept: moved })
  const settingsFile = new Conf({ cwd: dataDir, configName: SETTINGS_FILE_NAME, projectName: 'parley' })
  return createParley({ version: packageJson.version, dataDir, mode: detectMode(settingsFile), settingsFile, log })
}
