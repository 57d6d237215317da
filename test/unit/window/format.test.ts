import { describe, expect, it } from 'vitest'
import { shortDate, timeOfDay, wholeNumber } from '../../../src-renderer/src/format.ts'

// The inbox's first screen writes these without Intl (src-renderer/src/format.ts): they must say
// exactly what Intl says in both of Parley's languages.
describe.each(['en', 'de'] as const)('the list’s numbers, times and dates in %s', (language) => {
  it('write counts as Intl does', () => {
    const intl = new Intl.NumberFormat(language, { maximumFractionDigits: 1 })
    for (const n of [0, 1, 7, 42, 999, 1000, 1001, 9999, 10_000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567, 2 ** 31, -1, -1234]) {
      expect(wholeNumber(n, language), String(n)).toBe(intl.format(n))
    }
  })

  it('write every minute of a day as Intl does', () => {
    const intl = new Intl.DateTimeFormat(language, { timeStyle: 'short' })
    for (let minute = 0; minute < 24 * 60; minute++) {
      const date = new Date(2026, 11, 3, Math.floor(minute / 60), minute % 60, 30)
      expect(timeOfDay(date, language)).toBe(intl.format(date))
    }
  })

  it('write dates of every month, single and double digits, across centuries, as Intl does', () => {
    const intl = new Intl.DateTimeFormat(language, { dateStyle: 'short' })
    for (const year of [1999, 2000, 2005, 2026, 2100]) {
      for (let month = 0; month < 12; month++) {
        for (const day of [1, 9, 10, 28]) {
          const date = new Date(year, month, day, 12)
          expect(shortDate(date, language)).toBe(intl.format(date))
        }
      }
    }
  })
})
