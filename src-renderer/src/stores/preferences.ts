import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { Language, Theme } from '../../../src-main/core/contract/index.ts'
import { CONNECTION, I18N } from '../injectionKeys.ts'

/** Language and theme, kept by main through `settings.set` so they survive a reload. */
export const usePreferencesStore = defineStore('preferences', () => {
  const { api } = inject(CONNECTION)!
  const i18n = inject(I18N)!
  const language = ref<Language>('en')
  const theme = ref<Theme>('system')

  function apply() {
    i18n.global.locale.value = language.value
    document.documentElement.lang = language.value
    document.documentElement.dataset.theme = theme.value
  }

  async function load() {
    const stored = await api.call('settings.get')
    language.value = stored.language
    theme.value = stored.theme
    apply()
  }

  async function save(patch: { language?: Language; theme?: Theme }) {
    const stored = await api.call('settings.set', patch)
    language.value = stored.language
    theme.value = stored.theme
    apply()
  }

  return {
    language,
    theme,
    load,
    setLanguage: (next: Language) => save({ language: next }),
    setTheme: (next: Theme) => save({ theme: next }),
  }
})
