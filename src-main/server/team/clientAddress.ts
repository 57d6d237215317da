import { isIP } from 'node:net'

/**
 * Where a request comes from, for counting failed sign-ins per address. Behind a TLS proxy on this
 * machine every request arrives from loopback: then the proxy's X-Forwarded-For names the client
 * (its last entry is the one the proxy itself added). From anywhere else the header is not trusted.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined): string | null {
  const from = peer?.replace(/^::ffff:/, '') ?? null
  const loopback = from === '127.0.0.1' || from === '::1'
  if (loopback && forwardedFor) {
    const last = forwardedFor.split(',').at(-1)?.trim()
    if (last && isIP(last)) return last
  }
  return from
}
