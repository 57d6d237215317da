import { describe, expect, it } from 'vitest'
import {
  createGraphClient, createLoginState, isLoginRedirect, LoginRedirectError, loginDialogUrl, parseLoginRedirect,
} from '../../../src-main/core/graph/index.ts'

const REDIRECT = 'https://www.facebook.com/connect/login_success.html'
const STATE = 'k3Q8c2l0n6m4yZ1vR7tXw9pB5aD0eF2gH4jK6mN8qS0'
const NOW = Date.UTC(2026, 5, 1, 12)

function problemOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof LoginRedirectError) return error.problem
    throw error
  }
  throw new Error('expected a LoginRedirectError')
}

describe('login dialog URL', () => {
  it('carries client_id, redirect_uri, state, response_type=token and the scopes', () => {
    const url = new URL(
      loginDialogUrl({
        webBase: 'https://www.facebook.com', version: 'v25.0', appId: '42', redirectUri: REDIRECT, state: STATE,
        scopes: ['instagram_basic', 'instagram_manage_messages', 'pages_show_list'],
      }),
    )
    expect(url.origin + url.pathname).toBe('https://www.facebook.com/v25.0/dialog/oauth')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '42', redirect_uri: REDIRECT, state: STATE, response_type: 'token',
      scope: 'instagram_basic,instagram_manage_messages,pages_show_list',
    })
  })

  it('asks again for declined permissions only when told to', () => {
    const base = { webBase: 'https://www.facebook.com', version: 'v25.0', appId: '42', redirectUri: REDIRECT, state: STATE, scopes: ['a'] }
    expect(new URL(loginDialogUrl({ ...base, rerequest: true })).searchParams.get('auth_type')).toBe('rerequest')
    expect(new URL(loginDialogUrl(base)).searchParams.has('auth_type')).toBe(false)
  })

  it('is built by the client on its own web base, app id and version, with the desktop redirect', () => {
    const client = createGraphClient({ graphBase: 'http://127.0.0.1:9/', webBase: 'http://127.0.0.1:9/', appId: '77', appSecret: async () => 's' })
    const url = new URL(client.loginDialogUrl({ state: STATE, scopes: ['pages_show_list'] }))
    expect(url.pathname).toBe('/v25.0/dialog/oauth')
    expect(url.searchParams.get('client_id')).toBe('77')
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:9/connect/login_success.html')
  })
})

describe('login state', () => {
  it('is long, URL-safe and different every time', () => {
    const states = new Set(Array.from({ length: 50 }, createLoginState))
    expect(states.size).toBe(50)
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})

describe('login redirect', () => {
  const options = { expectedState: STATE, redirectUri: REDIRECT, now: () => NOW }

  it('reads a token from the fragment', () => {
    const result = parseLoginRedirect(
      `${REDIRECT}#access_token=EAAshort123&data_access_expiration_time=1788000000&expires_in=5400&state=${STATE}`,
      options,
    )
    expect(result).toEqual({
      type: 'token', accessToken: 'EAAshort123', expiresIn: 5400, expiresAt: new Date(NOW + 5_400_000),
      dataAccessExpiresAt: new Date(1_788_000_000_000), grantedScopes: null, deniedScopes: null,
    })
  })

  it('reads granted and denied scopes when Facebook includes them', () => {
    const result = parseLoginRedirect(`${REDIRECT}#access_token=t&state=${STATE}&granted_scopes=a,b&denied_scopes=c`, options)
    expect(result).toMatchObject({ grantedScopes: ['a', 'b'], deniedScopes: ['c'], expiresIn: null, expiresAt: null })
  })

  it('reads a code from the query, ignoring Facebook’s "#_=_"', () => {
    expect(parseLoginRedirect(`${REDIRECT}?code=AQDcode&state=${STATE}#_=_`, options)).toEqual({ type: 'code', code: 'AQDcode', grantedScopes: null })
  })

  it('turns a cancel into a typed result, not an error', () => {
    const url = `${REDIRECT}?error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=${STATE}#_=_`
    expect(parseLoginRedirect(url, options)).toEqual({ type: 'cancelled' })
  })

  it('refuses a state that is not the one sent', () => {
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}#access_token=t&state=someone-elses-state`, options))).toBe('state_mismatch')
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}#access_token=t&state=${STATE}x`, options))).toBe('state_mismatch')
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}?error=access_denied&error_reason=user_denied&state=other`, options))).toBe('state_mismatch')
  })

  it('refuses a redirect without state', () => {
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}#access_token=t&expires_in=60`, options))).toBe('missing_state')
  })

  it('refuses a redirect with neither token nor code', () => {
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}#state=${STATE}`, options))).toBe('missing_params')
    expect(problemOf(() => parseLoginRedirect(`${REDIRECT}?state=${STATE}&access_token=`, options))).toBe('missing_params')
  })

  it('refuses another address and a URL that does not parse', () => {
    expect(problemOf(() => parseLoginRedirect(`https://evil.example/connect/login_success.html#access_token=t&state=${STATE}`, options))).toBe('wrong_redirect')
    expect(problemOf(() => parseLoginRedirect('not a url', options))).toBe('malformed')
  })

  it('reports other Facebook errors with Facebook’s words kept apart, and never repeats the token', () => {
    let error: unknown
    try {
      parseLoginRedirect(`${REDIRECT}?error=server_error&error_description=Broken+for+EAAleakedToken0123456789abcdef&state=${STATE}`, options)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LoginRedirectError)
    const e = error as LoginRedirectError
    expect(e.reason).toBe('login.login_failed')
    expect(e.metaError).toMatchObject({ error: 'server_error', reason: null })
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('EAAleakedToken')
  })

  it('recognises the redirect among the login window’s navigations', () => {
    expect(isLoginRedirect(`${REDIRECT}#access_token=x`, REDIRECT)).toBe(true)
    expect(isLoginRedirect('https://www.facebook.com/v25.0/dialog/oauth?client_id=1', REDIRECT)).toBe(false)
    expect(isLoginRedirect('https://www.facebook.com.evil.example/connect/login_success.html', REDIRECT)).toBe(false)
  })
})
