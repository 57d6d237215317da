import type { SettingsFile } from '../settings/settingsFile.ts'

/** Where the desktop app works (config.json `connection`): this computer only, or a Parley server. */
export interface ConnectionChoice {
  mode: 'workstation' | 'team'
  serverUrl: string | null
}

const KEY = 'connection'

export function readConnectionChoice(file: SettingsFile): ConnectionChoice {
  const stored = file.get(KEY) as { mode?: unknown; serverUrl?: unknown } | undefined
  const serverUrl = typeof stored?.serverUrl === 'string' && stored.serverUrl ? stored.serverUrl : null
  return stored?.mode === 'team' && serverUrl ? { mode: 'team', serverUrl } : { mode: 'workstation', serverUrl }
}

export async function saveConnectionChoice(file: SettingsFile, choice: ConnectionChoice): Promise<void> {
  await file.set(KEY, choice)
}
