import { Language, Preferences, Theme, type PreferencesPatch } from '../contract/schemas.ts'
import type { SettingsFile } from './settingsFile.ts'

export const DEFAULT_PREFERENCES: Preferences = { language: 'en', theme: 'system' }

const fields = { language: Language, theme: Theme } as const

export interface PreferencesService {
  get(): Preferences
  set(patch: PreferencesPatch): Preferences
}

/** The person's UI preferences. A value edited by hand into something invalid falls back to its default. */
export function createPreferences(file: SettingsFile): PreferencesService {
  const read = (): Preferences => {
    const stored = file.get('preferences')
    const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
    return {
      language: fields.language.safeParse(record.language).data ?? DEFAULT_PREFERENCES.language,
      theme: fields.theme.safeParse(record.theme).data ?? DEFAULT_PREFERENCES.theme,
    }
  }
  return {
    get: read,
    set(patch) {
      const next = Preferences.parse({ ...read(), ...patch })
      file.set('preferences', next)
      return next
    },
  }
}
