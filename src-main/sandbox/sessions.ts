// Facebook web sessions (the login cookie) and authorization codes of the login dialog.
import { randomBytes } from 'node:crypto'
import { randomCode } from './ids.ts'

export const SESSION_COOKIE = 'xs'
const CODE_TTL_MS = 10 * 60_000

export interface Session {
  id: string
  userId: string
  /** Anti-forgery token of the dialog's forms (Facebook calls it fb_dtsg). */
  formToken: string
}

export interface AuthCode {
  code: string
  userId: string
  redirectUri: string
  expiresAt: number
  used: boolean
}

export class Sessions {
  private readonly sessions = new Map<string, Session>()
  private readonly codes = new Map<string, AuthCode>()

  open(userId: string): Session {
    const session: Session = { id: randomBytes(24).toString('base64url'), userId, formToken: randomBytes(12).toString('base64url') }
    this.sessions.set(session.id, session)
    return session
  }

  get(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined
  }

  /** Logging out ends one browser's session. */
  end(id: string): void {
    this.sessions.delete(id)
  }

  /** A password change logs the person out everywhere. */
  endAllFor(userId: string): void {
    for (const [id, session] of this.sessions) if (session.userId === userId) this.sessions.delete(id)
  }

  issueCode(userId: string, redirectUri: string, now: number): string {
    const code = randomCode()
    this.codes.set(code, { code, userId, redirectUri, expiresAt: now + CODE_TTL_MS, used: false })
    return code
  }

  code(code: string): AuthCode | undefined {
    return this.codes.get(code)
  }

  clear(): void {
    this.sessions.clear()
    this.codes.clear()
  }
}
