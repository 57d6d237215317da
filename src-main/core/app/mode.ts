import type { Mode } from '../contract/schemas.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'

/** The App ID of the supervisor's own Meta app, once entered. */
export function liveAppId(file: SettingsFile): string | null {
  const metaApp = file.get('metaApp') as { appId?: unknown } | undefined
  return typeof metaApp?.appId === 'string' && metaApp.appId.trim() !== '' ? metaApp.appId.trim() : null
}

/** Live once the supervisor has entered their own Meta app; the embedded sandbox until then. */
export function detectMode(file: SettingsFile): Mode {
  return liveAppId(file) ? 'live' : 'sandbox'
}
