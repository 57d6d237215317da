import { Language, Preferences, Theme, type PreferencesPatch } from '../contract/schemas.ts'
import type { SettingsFile } from './settingsFile.ts'

export const DEFAULT_PREFERENCES: Preferences = { language: 'en', theme: 'system' }

const fields = { language: Language, theme: Theme } as const

export interface PreferencesService {
  get(): Promise<Preferences>
  set(patch: PreferencesPatch): Promise<Preferences>
}

/** Where preferences are kept: the workstation's settings file, or a person's record on the team server. */
export interface PreferencesSlot {
  read(): unknown
  write(value: Preferences): unknown
}

export const settingsFileSlot = (file: SettingsFile): PreferencesSlot => ({
  read: () => file.get('preferences'),
  write: (value) => file.set('preferences', value),
})

/** The person's UI preferences. A value edited by hand into something invalid falls back to its default. */
export function createPreferences(slot: PreferencesSlot): PreferencesService {
  const read = async (): Promise<Preferences> => {
    const stored = await slot.read()
    const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
    return {
      language: fields.language.safeParse(record.language).data ?? DEFAULT_PREFERENCES.language,
      theme: fields.theme.safeParse(record.theme).data ?? DEFAULT_PREFERENCES.theme,
    }
  }
  return {
    get: read,
    async set(patch) {
      const next = Preferences.parse({ ...(await read()), ...patch })
      await slot.write(next)
      return next
    },
  }
}
