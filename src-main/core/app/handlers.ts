import type { AppInfo } from '../contract/schemas.ts'
import type { Handlers } from '../contract/dispatcher.ts'
import type { PreferencesService } from '../settings/preferences.ts'

export interface CoreServices {
  appInfo(): AppInfo
  preferences: PreferencesService
}

/** The one place where contract commands meet core services. */
export function buildHandlers(services: CoreServices): Handlers {
  return {
    'app.info': () => services.appInfo(),
    'settings.get': () => services.preferences.get(),
    'settings.set': (patch) => services.preferences.set(patch),
  }
}
