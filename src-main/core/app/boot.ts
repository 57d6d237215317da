import { join } from 'node:path'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { quarantineCorruptJson, SETTINGS_FILE_NAME } from '../settings/settingsFile.ts'
import { resolveDataDir } from './dataDir.ts'
import { createStderrLogger, type Logger } from './logger.ts'
import { startMetaBackend } from './metaBackend.ts'
import { detectMode, liveAppId } from './mode.ts'
import { createParley, type Parley } from './parley.ts'

export interface BootOptions {
  version: string
  env: NodeJS.ProcessEnv
  /** electron-store on the desktop, conf in the browser host: both write `config.json` in `dataDir`. */
  openSettingsFile(dataDir: string, name: string): SettingsFile
  log?: Logger
}

/** What both hosts do at start: find the data, open the settings, reach Meta, assemble core. */
export async function bootParley(options: BootOptions): Promise<Parley> {
  const log = options.log ?? createStderrLogger()
  const dataDir = resolveDataDir(options.env)
  const moved = quarantineCorruptJson(join(dataDir, `${SETTINGS_FILE_NAME}.json`))
  if (moved) log.warn('settings file was not valid JSON; kept it aside and started with defaults', { kept: moved })
  const settingsFile = options.openSettingsFile(dataDir, SETTINGS_FILE_NAME)
  const mode = detectMode(settingsFile)
  const meta = await startMetaBackend(mode, liveAppId(settingsFile), options.env)
  return createParley({ version: options.version, dataDir, mode, settingsFile, meta, log })
}
