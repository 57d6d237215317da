import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { startMetaRuntime } from '../meta/metaRuntime.ts'
import { moveSettingsIntoStore, openStore, STORE_FILE_NAME } from '../store/index.ts'
import { openKeytarStore } from '../secrets/keytarStore.ts'
import { createParleySecrets, type ParleySecrets, type SecretStore } from '../secrets/secretStore.ts'
import { selectSecretStore } from '../secrets/selectSecretStore.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { quarantineCorruptJson, SETTINGS_FILE_NAME } from '../settings/settingsFile.ts'
import { resolveDataDir } from './dataDir.ts'
import { createStderrLogger, type Logger } from './logger.ts'
import { detectMode, liveAppId } from './mode.ts'
import { createParley, type Parley } from './parley.ts'
import { createEventLog } from '../diagnostics/eventLog.ts'
import { eventLogDir, INCLUDE_TEXT_SETTING } from '../diagnostics/service.ts'

export interface WorkstationOptions {
  env: NodeJS.ProcessEnv
  /** electron-store on the desktop, conf in the browser host: both write `config.json` in `dataDir`. */
  openSettingsFile(dataDir: string, name: string): SettingsFile
  /** Where secrets go when the OS keychain does not answer (Electron's safeStorage); none in the browser host. */
  secretFallback?: (dataDir: string, file: SettingsFile) => SecretStore | null
  log?: Logger
}

export interface Workstation {
  dataDir: string
  settingsFile: SettingsFile
  secrets: ParleySecrets
  log: Logger
}

/** This machine's Parley folder, its settings file and its keychain entries: what both hosts open first. */
export async function openWorkstation(options: WorkstationOptions): Promise<Workstation> {
  const log = options.log ?? createStderrLogger()
  const dataDir = resolveDataDir(options.env)
  const moved = quarantineCorruptJson(join(dataDir, `${SETTINGS_FILE_NAME}.json`))
  if (moved) log.warn('settings file was not valid JSON; kept it aside and started with defaults', { kept: moved })
  const settingsFile = options.openSettingsFile(dataDir, SETTINGS_FILE_NAME)
  const secretStore = await selectSecretStore({
    keychain: options.env.PARLEY_SECRET_STORE === 'memory' ? null : openKeytarStore(),
    fallback: () => options.secretFallback?.(dataDir, settingsFile) ?? null,
    log,
  })
  const secrets = createParleySecrets(secretStore, await installationId(settingsFile))
  return { dataDir, settingsFile, secrets, log }
}

/** A single workstation's Parley: reach Meta, open the store, assemble core. */
export async function bootParley(options: { version: string; env: NodeJS.ProcessEnv; workstation: Workstation }): Promise<Parley> {
  const { dataDir, settingsFile, secrets, log } = options.workstation
  const meta = await startMetaRuntime(detectMode(settingsFile), liveAppId(settingsFile), { env: options.env, secrets })
  // The inbox keeps Meta's time: in sandbox mode the sandbox's movable clock.
  const store = openStore(join(dataDir, STORE_FILE_NAME), { now: () => meta.now() })
  // A workstation that kept its integrations and profiles in config.json moves them into the store once.
  await moveSettingsIntoStore(settingsFile, store, log)
  // T2: what Parley does, redacted, in rotating files under the data folder.
  const eventLog = createEventLog({ dir: eventLogDir(dataDir), includeText: () => settingsFile.get(INCLUDE_TEXT_SETTING) === true })
  return createParley({ version: options.version, dataDir, settingsFile, secrets, meta, store, log, eventLog })
}

/** Names this installation's entries in the shared OS keychain. */
async function installationId(file: SettingsFile): Promise<string> {
  const existing = file.get('installationId')
  if (typeof existing === 'string' && existing) return existing
  const id = randomUUID()
  await file.set('installationId', id)
  return id
}
