import type { Mode } from '../contract/schemas.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'

/** Live once the supervisor has entered their own Meta app; the embedded sandbox until then. */
export function detectMode(file: SettingsFile): Mode {
  const metaApp = file.get('metaApp') as { appId?: unknown } | undefined
  return typeof metaApp?.appId === 'string' && metaApp.appId.trim() !== '' ? 'live' : 'sandbox'
}
