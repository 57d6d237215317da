// Reading untrusted JSON field by field (X4): each helper returns null for anything it cannot vouch
// for, so a malformed event is recognised and skipped instead of crashing or storing garbage.
// Limits match what the store accepts (store/schemas.ts).

export type Json = Record<string, unknown>

export const MAX_ID = 512
export const MAX_TEXT = 100_000
export const MAX_URL = 4096
export const MAX_ATTACHMENTS = 50

export const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Graph ids are strings; a few endpoints have been seen to send numbers. */
export function idOf(value: unknown): string | null {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : ''
  return text !== '' && text.length <= MAX_ID ? text : null
}

/**
 * Epoch milliseconds. Meta sends ms; old payloads and some fixtures use seconds or ISO strings
 * (`2022-07-12T19:11:07+0000`), which are accepted too.
 */
export function epochMsOf(value: unknown): number | null {
  let ms: number | null = null
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value
  else if (typeof value === 'string' && value.trim() !== '') ms = /^\d+$/.test(value.trim()) ? epochMsOf(Number(value)) : Date.parse(value)
  if (ms === null || !Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return null
  return Math.round(ms)
}

/** An http(s) URL Parley may keep as a reference (never downloaded here); else null. */
export function urlOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL) return null
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null
  } catch {
    return null
  }
}

/** Short labels (attachment types, reaction names, emoji). */
export function labelOf(value: unknown, max = 64): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : null
}
