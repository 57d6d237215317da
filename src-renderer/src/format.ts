import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Language } from '../../src-main/core/contract/index.ts'

const BYTES_PER_MB = 1024 * 1024

/** Bytes as the MB figure a person types into "Maximum size (MB)" (one decimal at most). */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10
}

export function mbToBytes(mb: number): number {
  return Math.round(mb * BYTES_PER_MB)
}

/** Dates and times in the window's language. */
export function useDateFormat() {
  const { locale } = useI18n()
  const formatter = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }))
  return (iso: string) => {
    const date = new Date(iso)
    return Number.isNaN(date.getTime()) ? iso : formatter.value.format(date)
  }
}

/** "a, b and c" / "a, b und c". */
export function useListFormat() {
  const { locale } = useI18n()
  const formatter = computed(() => new Intl.ListFormat(locale.value, { style: 'long', type: 'conjunction' }))
  return (items: readonly string[]) => formatter.value.format(items)
}

/** Numbers in the window's language ("2.5" / "2,5"). */
export function useNumberFormat() {
  const { locale } = useI18n()
  return (value: number) => new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }).format(value)
}

// The inbox's first screen writes a count, times of day and dates. Intl would write them the same,
// but its first use in a window loads ICU's locale data (50–90 ms on a small machine) before the
// rows can be painted; in Parley's two languages these three forms are simple enough to write
// directly. test/unit/window/format.test.ts holds them to what Intl writes.

const pad = (n: number) => String(n).padStart(2, '0')

/** "10,000" / "10.000". */
export function wholeNumber(value: number, language: Language): string {
  const digits = String(Math.abs(Math.trunc(value))).replace(/\B(?=(\d{3})+$)/g, language === 'de' ? '.' : ',')
  return value < 0 ? `-${digits}` : digits
}

/** "9:05 AM" / "09:05", in this computer's time zone. */
export function timeOfDay(date: Date, language: Language): string {
  const hours = date.getHours()
  const minutes = pad(date.getMinutes())
  if (language === 'de') return `${pad(hours)}:${minutes}`
  return `${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`
}

/** "12/3/26" / "03.12.26". */
export function shortDate(date: Date, language: Language): string {
  const year = pad(date.getFullYear() % 100)
  if (language === 'de') return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${year}`
  return `${date.getMonth() + 1}/${date.getDate()}/${year}`
}
