// Facebook Login for a desktop app (fact sheet §1.1): the dialog URL, a strong `state`, and reading
// the redirect the login window lands on. Pure functions: no network, no secrets.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { redact } from './redact.ts'

/** Where Facebook sends a desktop app's login (must be listed in the app's Valid OAuth redirect URIs). */
export const DESKTOP_REDIRECT_PATH = '/connect/login_success.html'

export function desktopRedirectUri(webBase: string): string {
  return `${webBase.replace(/\/+$/, '')}${DESKTOP_REDIRECT_PATH}`
}

export interface LoginDialogOptions {
  webBase: string
  version: string
  appId: string
  redirectUri: string
  state: string
  scopes: readonly string[]
  /** `token` is what Meta documents for desktop apps. */
  responseType?: 'token' | 'code' | 'code token'
  /** Ask again for permissions the person declined before (`auth_type=rerequest`). */
  rerequest?: boolean
}

export function loginDialogUrl(options: LoginDialogOptions): string {
  const url = new URL(`${options.webBase.replace(/\/+$/, '')}/${options.version}/dialog/oauth`)
  url.searchParams.set('client_id', options.appId)
  url.searchParams.set('redirect_uri', options.redirectUri)
  url.searchParams.set('state', options.state)
  url.searchParams.set('response_type', options.responseType ?? 'token')
  url.searchParams.set('scope', options.scopes.join(','))
  if (options.rerequest) url.searchParams.set('auth_type', 'rerequest')
  return url.toString()
}

/** 256 random bits, URL-safe: unguessable, so a redirect Parley did not start is recognised. */
export function createLoginState(): string {
  return randomBytes(32).toString('base64url')
}

export type LoginRedirect =
  | {
      type: 'token'
      accessToken: string
      /** Seconds; null when the redirect did not say. */
      expiresIn: number | null
      expiresAt: Date | null
      dataAccessExpiresAt: Date | null
      grantedScopes: string[] | null
      deniedScopes: string[] | null
    }
  | { type: 'code'; code: string; grantedScopes: string[] | null }
  /** The person pressed Cancel or declined: not an error, just nothing to connect. */
  | { type: 'cancelled' }

export type LoginRedirectProblem = 'state_mismatch' | 'missing_state' | 'wrong_redirect' | 'missing_params' | 'malformed' | 'login_failed'

const PROBLEM_TEXT: Record<LoginRedirectProblem, { message: string; remedy: string }> = {
  state_mismatch: {
    message: 'The Facebook login came back for a different request than the one Parley started.',
    remedy: 'Close the login window and start “Instagram Login” again.',
  },
  missing_state: {
    message: 'The Facebook login came back without the check value Parley sent, so Parley cannot trust it.',
    remedy: 'Close the login window and start “Instagram Login” again.',
  },
  wrong_redirect: {
    message: 'The login window ended on an address that is not Facebook’s login result page.',
    remedy: 'Close the login window and start “Instagram Login” again.',
  },
  missing_params: {
    message: 'The Facebook login came back without an access token.',
    remedy: 'Start “Instagram Login” again; if it keeps happening, check the Meta app’s Facebook Login settings.',
  },
  malformed: {
    message: 'The Facebook login came back with an address Parley cannot read.',
    remedy: 'Close the login window and start “Instagram Login” again.',
  },
  login_failed: {
    message: 'Facebook reported an error during login.',
    remedy: 'Start “Instagram Login” again; if it keeps happening, check the Meta app’s Facebook Login settings.',
  },
}

export class LoginRedirectError extends Error {
  readonly problem: LoginRedirectProblem
  /** Stable key for the UI's translations, e.g. `login.state_mismatch`. */
  readonly reason: string
  readonly remedy: string
  /** Facebook's `error` / `error_reason` / (redacted) `error_description`, for `login_failed`. */
  readonly metaError: { error: string; reason: string | null; description: string | null } | undefined

  constructor(problem: LoginRedirectProblem, metaError?: LoginRedirectError['metaError']) {
    super(PROBLEM_TEXT[problem].message)
    this.name = 'LoginRedirectError'
    this.problem = problem
    this.reason = `login.${problem}`
    this.remedy = PROBLEM_TEXT[problem].remedy
    this.metaError = metaError
  }
}

export interface ParseRedirectOptions {
  /** The `state` Parley put into the dialog URL. */
  expectedState: string
  /** When given, the URL must be this address (query and fragment aside). */
  redirectUri?: string
  now?: () => number
}

/** Whether a navigation in the login window is the redirect that ends the login. */
export function isLoginRedirect(url: string, redirectUri: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(redirectUri)
    return a.origin === b.origin && a.pathname === b.pathname
  } catch {
    return false
  }
}

function sameState(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const list = (value: string | null): string[] | null => (value === null ? null : value.split(/[,\s]+/).filter(Boolean))

function seconds(value: string | null): number | null {
  if (value === null || value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : null
}

/**
 * Reads the login result: `#access_token=…&expires_in=…&state=…` (token flow), `?code=…&state=…`
 * (code flow), or `?error=access_denied&error_reason=user_denied…` (cancel). Throws
 * `LoginRedirectError` when the state does not match or the URL says nothing usable.
 */
export function parseLoginRedirect(url: string, options: ParseRedirectOptions): LoginRedirect {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new LoginRedirectError('malformed')
  }
  if (options.redirectUri !== undefined && !isLoginRedirect(url, options.redirectUri)) throw new LoginRedirectError('wrong_redirect')

  const fragment = new URLSearchParams(parsed.hash.replace(/^#/, ''))
  const get = (name: string): string | null => fragment.get(name) ?? parsed.searchParams.get(name)

  const state = get('state')
  const checkState = () => {
    if (state === null || state === '') throw new LoginRedirectError('missing_state')
    if (!sameState(state, options.expectedState)) throw new LoginRedirectError('state_mismatch')
  }

  const error = get('error')
  if (error !== null) {
    // A cancel without state is harmless; one with a foreign state is not ours.
    if (state !== null) checkState()
    const reason = get('error_reason')
    if (error === 'access_denied' && (reason === null || reason === 'user_denied')) return { type: 'cancelled' }
    const description = get('error_description')
    throw new LoginRedirectError('login_failed', { error, reason, description: description === null ? null : redact(description, []) })
  }

  checkState()
  const accessToken = get('access_token')
  if (accessToken) {
    const expiresIn = seconds(get('expires_in'))
    const now = (options.now ?? Date.now)()
    const dataAccess = seconds(get('data_access_expiration_time'))
    return {
      type: 'token',
      accessToken,
      expiresIn,
      // 0 or absent: Meta named no expiry; debug_token tells the truth later.
      expiresAt: expiresIn ? new Date(now + expiresIn * 1000) : null,
      dataAccessExpiresAt: dataAccess ? new Date(dataAccess * 1000) : null,
      grantedScopes: list(get('granted_scopes')),
      deniedScopes: list(get('denied_scopes')),
    }
  }
  const code = get('code')
  if (code) return { type: 'code', code, grantedScopes: list(get('granted_scopes')) }
  throw new LoginRedirectError('missing_params')
}
