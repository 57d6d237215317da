import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { ConversationView, Language, Problem } from '../../src-main/core/contract/index.ts'
import { ApiError } from './api/index.ts'
import { shortDate, timeOfDay } from './format.ts'

/** Instagram's limit on a text message, in UTF-8 bytes (A4). */
export const TEXT_LIMIT_BYTES = 1000

const encoder = new TextEncoder()

/** UTF-8 bytes, as Instagram counts them: "ä" is 2, "😀" is 4. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length
}

type Customer = ConversationView['customer']

/** Up to two letters for an avatar without a picture. */
export function initials(customer: Customer): string {
  const source = (customer.name ?? customer.username ?? '').trim()
  if (!source) return '?'
  const words = source.split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!].map((w) => [...w][0]) : [...words[0]!].slice(0, 2)
  return letters.join('').toUpperCase()
}

/** A failed command as a Problem, so that known codes are shown in the window's language. */
export function problemFromError(error: unknown): Problem {
  if (error instanceof ApiError) return { code: error.code, message: error.message, remedy: null }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), remedy: null }
}

/** Words for customers, durations, times and previews in the window's language. */
export function useInboxFormat() {
  const { t, locale } = useI18n()

  const customerName = (customer: Customer) => customer.name ?? (customer.username ? `@${customer.username}` : t('inbox.unknownCustomer'))

  /** "6 d 23 h", "3 h 12 min", "12 min" — rounded down to the minute, never negative. */
  function duration(ms: number): string {
    const totalMinutes = Math.max(0, Math.floor(ms / 60_000))
    const days = Math.floor(totalMinutes / 1440)
    const hours = Math.floor((totalMinutes % 1440) / 60)
    const minutes = totalMinutes % 60
    if (days > 0) return t('inbox.duration.days', { days, hours })
    if (hours > 0) return t('inbox.duration.hours', { hours, minutes })
    return t('inbox.duration.minutes', { minutes })
  }

  const full = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }))

  /** A list's time: the time today, else the date (without Intl: see format.ts). */
  function shortTime(iso: string, now = Date.now()): string {
    const date = new Date(iso)
    if (Number.isNaN(date.getTime())) return iso
    const language = locale.value as Language
    return new Date(now).toDateString() === date.toDateString() ? timeOfDay(date, language) : shortDate(date, language)
  }

  function fullTime(iso: string): string {
    const date = new Date(iso)
    return Number.isNaN(date.getTime()) ? iso : full.value.format(date)
  }

  /** The list row's last message: its text, or what kind of message it was. */
  function preview(conversation: ConversationView): string {
    const last = conversation.lastMessage
    if (!last) return t('inbox.preview.none')
    let text: string
    if (last.withdrawn) text = t('thread.withdrawn')
    else if (last.preview) text = last.preview
    else if (last.kind === 'story_mention' || last.kind === 'story_reply' || last.kind === 'share' || last.kind === 'attachment') text = t(`inbox.preview.${last.kind}`)
    else text = t('inbox.preview.unsupported')
    return last.direction === 'inbound' ? text : t('inbox.preview.you', { text })
  }

  return { customerName, duration, shortTime, fullTime, preview }
}

type ReplyWindow = ConversationView['window']
const HOUR = 3_600_000
const SIX_DAYS = 6 * 24 * HOUR

/**
 * The reply window as it stands at `now`, for display between two answers from main: a standard
 * window (24 h) that ran out continues as a human-agent one (to 7 days), and that one closes.
 * Main decides again whenever a reply is sent.
 */
export function windowAt(window: ReplyWindow, now: number): ReplyWindow & { remainingMs: number | null } {
  let { kind, endsAt } = window
  let end = endsAt ? Date.parse(endsAt) : NaN
  if (kind === 'standard' && !Number.isNaN(end) && now >= end) {
    kind = 'human_agent'
    end += SIX_DAYS
    endsAt = new Date(end).toISOString()
  }
  if (kind === 'human_agent' && !Number.isNaN(end) && now >= end) {
    kind = 'closed'
    endsAt = null
  }
  const remainingMs = endsAt && !Number.isNaN(end) ? Math.max(0, end - now) : null
  const nearDeadline = kind !== 'closed' && kind !== 'none' && (window.nearDeadline || (remainingMs !== null && remainingMs < HOUR))
  return { kind, endsAt, nearDeadline, remainingMs }
}
