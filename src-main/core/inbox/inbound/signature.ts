// X3: Meta signs the exact bytes it sends (HMAC-SHA256 with the app secret). The check runs on the
// raw body: a re-serialised JSON would differ (Meta escapes `/` and non-ASCII) and never match.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-hub-signature-256'

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'mismatch'

const SHAPE = /^sha256=([0-9a-f]{64})$/i

export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`
}

export function checkSignature(rawBody: Buffer, header: string | null | undefined, appSecret: string): SignatureVerdict {
  if (header === null || header === undefined || header.trim() === '') return 'missing'
  const match = SHAPE.exec(header.trim())
  if (!match) return 'malformed'
  const given = Buffer.from(match[1]!, 'hex')
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  // Constant time: how much of a forged signature matched must not show in the response time.
  return timingSafeEqual(given, expected) ? 'valid' : 'mismatch'
}

/** Constant-time string equality (for the verify token). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
