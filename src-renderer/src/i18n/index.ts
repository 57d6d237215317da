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
    messages,
  })
}

export type ParleyI18n = ReturnType<typeof createParleyI18n>
