import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const APP_NAME = 'Parley'

/**
 * `PARLEY_DATA_DIR` when set, else the OS application-data directory for "Parley" — the same
 * folder Electron's `app.getPath('userData')` gives, so both hosts share one installation's data.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.PARLEY_DATA_DIR) return resolve(env.PARLEY_DATA_DIR)
  return join(appDataDir(env, platform, home), APP_NAME)
}

function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME ?? join(home, '.config')
}
