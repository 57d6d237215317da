import { markRaw } from 'vue'
import { createI18n } from 'vue-i18n'
import type { Language } from '../../../src-main/core/contract/index.ts'
import { de } from './de.ts'
import { en, type Messages } from './en.ts'

export const messages: Record<Language, Messages> = { en, de }

export function createParleyI18n(locale: Language = 'en') {
  return createI18n<[Messages], Language, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    // Messages never change while the window runs: without reactive proxies around them, looking
    // one up (and running a compiled one) is plain property access.
    messages: markRaw(messages),
  })
}

export type ParleyI18n = ReturnType<typeof createParleyI18n>
