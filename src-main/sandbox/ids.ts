// Identifiers shaped like Meta's. Tokens are random (never derived from anything guessable);
// numeric ids only need to look right and be unique.
import { randomBytes, randomInt } from 'node:crypto'

export function randomDigits(length: number): string {
  let out = String(randomInt(1, 10))
  while (out.length < length) out += String(randomInt(0, 10))
  return out
}

/** Opaque access token: "EAAB" + random base62-ish characters, as long as Meta's. */
export function accessToken(): string {
  return 'EAAB' + randomBytes(140).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 180)
}

export function randomCode(): string {
  return 'AQ' + randomBytes(160).toString('base64url')
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 11)
}

/** Instagram message ids are base64 of an internal item key ("ig_message_item:…"). */
export function messageId(): string {
  return Buffer.from(`ig_message_item:1:IGMessageThread:${randomDigits(18)}:${randomDigits(22)}`).toString('base64url')
}

export function conversationId(): string {
  return Buffer.from(`ig_thread:1:IGThread:${randomDigits(17)}:${randomDigits(17)}`).toString('base64url')
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}
