// P3: how a browser carries its session — an HttpOnly, SameSite=Strict cookie (Secure over TLS) —
// and how the desktop app carries it: `Authorization: Bearer`, from its keychain. Browsers cannot
// set that header, so a bearer token always means the desktop app's main process.
import { readCookie } from '../accessKey.ts'

export const SESSION_COOKIE = 'parley_session'

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`
}

export type Credential = { token: string; client: 'browser' | 'desktop' } | null

/** The session a request presents, and which kind of client presents it. */
export function credentialOf(headers: { authorization?: string | null; cookie?: string | null }): Credential {
  const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')
  if (bearer) return { token: bearer[1]!, client: 'desktop' }
  const cookie = readCookie(headers.cookie, SESSION_COOKIE)
  return cookie ? { token: cookie, client: 'browser' } : null
}
