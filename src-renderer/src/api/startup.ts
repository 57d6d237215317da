import type { ConnectionView, SessionEndReason } from '../../../src-main/core/contract/index.ts'
import { connect, type Connection } from './index.ts'

/**
 * What the window shows first, by where it runs:
 * - the desktop app asks its main process whether it works here or with a Parley server, and
 *   whether it is signed in there;
 * - a browser opened with `?key=` is this computer's browser host (no round trip: the inbox is
 *   asked for at once);
 * - any other browser asks the server it came from whether it is signed in (`/auth/session`).
 */
export type Startup =
  | { kind: 'app'; connection: Connection }
  | { kind: 'signIn'; desktop: boolean; connection: Connection | null; view: ConnectionView | null; reason: SessionEndReason | null }

const REASON_KEY = 'parley.sessionEnded'

/** Remembers why a session ended across the reload that brings Sign in back. */
export function rememberSessionEnded(reason: SessionEndReason, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  storage.setItem(REASON_KEY, reason)
}

function takeReason(storage: Pick<Storage, 'getItem' | 'removeItem'>): SessionEndReason | null {
  const reason = storage.getItem(REASON_KEY)
  storage.removeItem(REASON_KEY)
  return reason === 'signed_out' || reason === 'expired' || reason === 'deactivated' || reason === 'password_reset' ? reason : null
}

export async function startUp(win: Window = window): Promise<Startup> {
  const reason = takeReason(win.sessionStorage)
  if (win.parley) {
    const connection = connect(win)
    const view = await connection.api.call('connection.get')
    return view.mode === 'team' && !view.signedIn ? { kind: 'signIn', desktop: true, connection, view, reason } : { kind: 'app', connection }
  }
  if (new URLSearchParams(win.location.search).has('key')) return { kind: 'app', connection: connect(win) }
  const answer = await win.fetch('/auth/session', { credentials: 'same-origin', cache: 'no-store' }).catch(() => null)
  if (answer?.status === 401) return { kind: 'signIn', desktop: false, connection: null, view: null, reason }
  return { kind: 'app', connection: connect(win) }
}

export type SignInAnswer = { ok: true } | { ok: false; message: string | null; code: string }

/** P3 in a browser: the server sets the session cookie; the page then starts again, signed in. */
export async function signInInBrowser(credentials: { username: string; password: string }, win: Window = window): Promise<SignInAnswer> {
  const response = await win
    .fetch('/auth/sign-in', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    })
    .catch(() => null)
  if (!response) return { ok: false, code: 'disconnected', message: null }
  if (response.ok) return { ok: true }
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null
  return { ok: false, code: body?.code ?? `http_${response.status}`, message: body?.message ?? null }
}
