import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, as the cookie or the desktop's keychain entry carries them. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the store keeps instead of the token: a stolen database opens no session. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A token as we make them: 43 base64url characters. Anything else is refused before any lookup. */
export function looksLikeSessionToken(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value)
}
