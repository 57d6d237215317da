// I1–I2: the secrets Parley makes for other systems — random, shown once, kept only as a hash
// (API keys) or sealed with the server's key (signing secrets).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const random = (bytes = 32) => randomBytes(bytes).toString('base64url')

/** An API key: `prl_` and 256 random bits. Its first 12 characters name it in lists. */
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `prl_${random()}`
  return { secret, prefix: secret.slice(0, 12), hash: hashApiKey(secret) }
}

/** Keys are random, so one fast hash is enough: nothing to guess a key from. */
export const hashApiKey = (secret: string) => createHash('sha256').update(secret).digest('hex')

export const newSigningSecret = () => `whsec_${random()}`

/**
 * I2: `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Signing the time
 * with the body lets a receiver refuse old replays.
 */
export function signatureHeader(secret: string, body: string, atMs: number): string {
  const t = Math.floor(atMs / 1000)
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`
}

/** What a receiver does (and the README shows): recompute, compare in constant time, check the age. */
export function verifySignature(secret: string, body: string, header: string, nowMs: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
  const given = Buffer.from(parts.v1)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
