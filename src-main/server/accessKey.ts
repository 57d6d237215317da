import { randomBytes, timingSafeEqual } from 'node:crypto'

/** The per-launch secret every HTTP request and WebSocket must present (`?key=` or its cookie). */
export function createAccessKey(): string {
  return randomBytes(24).toString('base64url')
}

export function keyMatches(given: string | null | undefined, key: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(key)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Cookies are per host, not per port: name it by port so two Parleys on one machine don't clash. */
export function keyCookieName(port: number): string {
  return `parley_key_${port}`
}

export function readCookie(header: string | null | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

/** Only loopback names, so a DNS-rebound page on another name cannot talk to us. */
export function isLoopbackHost(hostHeader: string | null | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`
}
