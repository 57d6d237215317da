import { computed } from 'vue'
import { useI18n } from 'vue-i18n'

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
