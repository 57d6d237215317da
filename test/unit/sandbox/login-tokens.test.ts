// Facebook Login dialog and tokens, over real HTTP.
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_SCOPES, connect, fragmentParams, ids, LOGIN_SUCCESS, startHarness, walkDialog, type Harness } from './helpers.ts'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

const maria = () => h.state.users[0] as { id: string; email: string; password: string }
const dialogQuery = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ client_id: h.state.app.id, redirect_uri: LOGIN_SUCCESS, state: 'xyz', response_type: 'token', scope: 'pages_show_list', ...extra })

describe('login dialog', () => {
  it('shows a login form, and an error for a wrong password', async () => {
    const page = await (await fetch(`${h.url}/v25.0/dialog/oauth?${dialogQuery()}`)).text()
    expect(page).toContain('Email or phone')
    expect(page).toContain('Password')
    expect(page).toContain('Log in')
    const wrong = await fetch(`${h.url}/dialog/oauth/login`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(dialogQuery()), email: maria().email, pass: 'nope' }), redirect: 'manual' })
    expect(wrong.status).toBe(200)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(await wrong.text()).toContain('The password that you&#39;ve entered is incorrect.')
  })

  it('refuses unregistered redirect URIs and unknown apps without redirecting', async () => {
    const blocked = await fetch(`${h.url}/dialog/oauth?${dialogQuery({ redirect_uri: 'https://attacker.example/cb' })}`, { redirect: 'manual' })
    expect(blocked.status).toBe(400)
    expect(await blocked.text()).toContain('URL blocked')
    const badApp = await fetch(`${h.url}/dialog/oauth?${dialogQuery({ client_id: '999' })}`, { redirect: 'manual' })
    expect(await badApp.text()).toContain('Invalid App ID')
  })

  it('returns a token in the fragment with expires_in and the state', async () => {
    const { location } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.nordlichtPage], state: 'csrf-1' })
    expect(`${location.origin}${location.pathname}`).toBe(LOGIN_SUCCESS)
    const fragment = fragmentParams(location)
    expect(fragment.get('access_token')).toMatch(/^EAAB[A-Za-z0-9]{100,}$/)
    expect(Number(fragment.get('expires_in'))).toBeGreaterThanOrEqual(3600)
    expect(Number(fragment.get('expires_in'))).toBeLessThanOrEqual(7200)
    expect(fragment.get('state')).toBe('csrf-1')
    expect(location.search).toBe('')
  })

  it('returns a code in the query that needs the app secret to exchange, once', async () => {
    const redirectUri = 'http://127.0.0.1:45555/callback'
    const { location } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.nordlichtPage], responseType: 'code', redirectUri })
    const code = location.searchParams.get('code') ?? ''
    expect(location.searchParams.get('state')).toBe('st-123')
    const noSecret = await h.graph('GET', '/v25.0/oauth/access_token', { client_id: h.state.app.id, redirect_uri: redirectUri, code })
    expect(noSecret.status).toBe(400)
    expect(noSecret.body).toMatchObject({ error: { code: 101, message: 'Missing client_secret parameter.' } })
    const otherUri = await h.graph('GET', '/v25.0/oauth/access_token', { client_id: h.state.app.id, client_secret: h.state.app.secret, redirect_uri: 'http://127.0.0.1:1/x', code })
    expect(otherUri.body).toMatchObject({ error: { code: 100, error_subcode: 36008 } })
    const ok = await h.graph<{ access_token: string; token_type: string; expires_in: number }>('GET', '/v25.0/oauth/access_token', { client_id: h.state.app.id, client_secret: h.state.app.secret, redirect_uri: redirectUri, code })
    expect(ok.status).toBe(200)
    expect(ok.body.token_type).toBe('bearer')
    expect(ok.body.access_token).toMatch(/^EAAB/)
    const again = await h.graph('GET', '/v25.0/oauth/access_token', { client_id: h.state.app.id, client_secret: h.state.app.secret, redirect_uri: redirectUri, code })
    expect(again.body).toMatchObject({ error: { code: 100, error_subcode: 36009 } })
  })

  it('Cancel redirects with access_denied / user_denied', async () => {
    const { location } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, action: 'cancel', state: 's9' })
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('error_reason')).toBe('user_denied')
    expect(location.searchParams.get('state')).toBe('s9')
    expect(location.hash).not.toContain('access_token')
  })

  it('keeps the person logged in by cookie, and pre-checks pages granted before', async () => {
    const first = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.hafenblickPage] })
    expect(first.selectionHtml).not.toMatch(/value="108472910384757" checked/)
    const second = await walkDialog(h.url, h.state.app.id, { email: '', password: '', cookie: first.cookie, pageIds: [ids.hafenblickPage] })
    expect(second.selectionHtml).toMatch(/value="108472910384757" checked/)
    expect(second.selectionHtml).not.toMatch(/value="108472910384756" checked/)
    // Without the cookie the login form comes back.
    const fresh = await (await fetch(`${h.url}/dialog/oauth?${dialogQuery()}`)).text()
    expect(fresh).toContain('Email or phone')
  })

  it('logout.php ends the web session and returns to a registered address', async () => {
    const { cookie } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.nordlichtPage] })
    const next = 'http://127.0.0.1:4567/auth/done'
    const logout = await fetch(`${h.url}/logout.php?${new URLSearchParams({ next })}`, { headers: { cookie }, redirect: 'manual' })
    expect(logout.status).toBe(302)
    expect(logout.headers.get('location')).toBe(next)
    expect(logout.headers.get('set-cookie')).toMatch(/^xs=;.*Max-Age=0/)
    // Even a browser that kept the old cookie is asked to log in again.
    const again = await (await fetch(`${h.url}/dialog/oauth?${dialogQuery()}`, { headers: { cookie } })).text()
    expect(again).toContain('Email or phone')
  })

  it('logout.php goes nowhere it was not registered for', async () => {
    const logout = await fetch(`${h.url}/logout.php?next=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' })
    expect(logout.status).toBe(200)
    expect(await logout.text()).toContain('logged out')
  })

  it('lists only the pages the person has a role on', async () => {
    const jonas = h.state.users[1] as { email: string; password: string }
    const { selectionHtml } = await walkDialog(h.url, h.state.app.id, { email: jonas.email, password: jonas.password })
    expect(selectionHtml).toContain('Hafenblick Hotel')
    expect(selectionHtml).toContain('Kiezbäckerei Sommer')
    expect(selectionHtml).not.toContain('Nordlicht')
  })
})

describe('tokens', () => {
  it('exchanges a short-lived token for a ≈60-day one, only with the secret', async () => {
    const { location } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.nordlichtPage] })
    const short = fragmentParams(location).get('access_token') ?? ''
    const noSecret = await h.graph('GET', '/oauth/access_token', { grant_type: 'fb_exchange_token', client_id: h.state.app.id, fb_exchange_token: short })
    expect(noSecret.body).toMatchObject({ error: { code: 101 } })
    const wrongSecret = await h.graph('GET', '/oauth/access_token', { grant_type: 'fb_exchange_token', client_id: h.state.app.id, client_secret: 'x'.repeat(32), fb_exchange_token: short })
    expect(wrongSecret.body).toMatchObject({ error: { code: 1, message: 'Error validating client secret.' } })
    const long = await h.graph<{ access_token: string; expires_in: number }>('GET', '/v19.0/oauth/access_token', { grant_type: 'fb_exchange_token', client_id: h.state.app.id, client_secret: h.state.app.secret, fb_exchange_token: short })
    expect(long.body.expires_in).toBeGreaterThan(59 * 86_400)
    expect(long.body.expires_in).toBeLessThanOrEqual(60 * 86_400)
  })

  it('gives page tokens that never expire from a long-lived token, and 1 h from a short-lived one', async () => {
    const connected = await connect(h, [ids.nordlichtPage])
    const appToken = `${h.state.app.id}|${h.state.app.secret}`
    const debug = async (token: string) =>
      (await h.graph<{ data: Record<string, unknown> }>('GET', '/v25.0/debug_token', { input_token: token, access_token: appToken })).body.data
    const longPage = await debug(connected.pageTokens[ids.nordlichtPage] ?? '')
    expect(longPage).toMatchObject({ type: 'PAGE', is_valid: true, expires_at: 0, profile_id: ids.nordlichtPage })
    const shortAccounts = await h.graph<{ data: { access_token: string }[] }>('GET', '/me/accounts', { access_token: connected.userToken })
    const shortPage = await debug(shortAccounts.body.data[0]?.access_token ?? '')
    expect(Number(shortPage.expires_at) - Number(shortPage.issued_at)).toBe(3600)
    // After 1 h the short page token is expired (190/463); the long-lived one still works.
    await h.control('POST', 'clock', { advance: '1h1m' })
    const expired = await h.graph('GET', '/me', { access_token: shortAccounts.body.data[0]?.access_token ?? '' })
    expect(expired.body).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } })
    expect((expired.body as { error: { message: string } }).error.message).toMatch(/^Error validating access token: Session has expired on /)
    const stillOk = await h.graph('GET', '/me', { access_token: connected.pageTokens[ids.nordlichtPage] ?? '' })
    expect(stillOk.body).toMatchObject({ id: ids.nordlichtPage, name: 'Nordlicht Kaffeerösterei' })
  })

  it('debug_token reports scopes and granular scopes with the granted pages', async () => {
    const connected = await connect(h, [ids.nordlichtPage, ids.hafenblickPage])
    const { body } = await h.graph<{ data: { scopes: string[]; granular_scopes: { scope: string; target_ids: string[] }[]; expires_at: number; is_valid: boolean; user_id: string; app_id: string } }>(
      'GET', '/debug_token', { input_token: connected.longLivedToken, access_token: connected.longLivedToken })
    expect(body.data.is_valid).toBe(true)
    expect(body.data.app_id).toBe(h.state.app.id)
    expect(body.data.user_id).toBe(maria().id)
    expect(body.data.scopes).toEqual(expect.arrayContaining([...ALL_SCOPES, 'public_profile']))
    const pagesShowList = body.data.granular_scopes.find((entry) => entry.scope === 'pages_show_list')
    expect(pagesShowList?.target_ids.sort()).toEqual([ids.nordlichtPage, ids.hafenblickPage].sort())
    const igMessages = body.data.granular_scopes.find((entry) => entry.scope === 'instagram_manage_messages')
    expect(igMessages?.target_ids.sort()).toEqual([ids.nordlichtIg, ids.hafenblickIg].sort())
    expect(body.data.expires_at).toBeGreaterThan(Date.now() / 1000)
  })

  it('client_credentials gives an app token that works for debug_token', async () => {
    const noSecret = await h.graph('GET', '/oauth/access_token', { grant_type: 'client_credentials', client_id: h.state.app.id })
    expect(noSecret.status).toBe(400)
    const app = await h.graph<{ access_token: string }>('GET', '/oauth/access_token', { grant_type: 'client_credentials', client_id: h.state.app.id, client_secret: h.state.app.secret })
    expect(app.body.access_token.startsWith(`${h.state.app.id}|`)).toBe(true)
    expect(app.body.access_token).not.toContain(h.state.app.secret)
    const unknown = await h.graph<{ data: { is_valid: boolean } }>('GET', '/debug_token', { input_token: 'EAABnonsense', access_token: app.body.access_token })
    expect(unknown.body.data.is_valid).toBe(false)
  })

  it('a password change invalidates user and page tokens with 190/460', async () => {
    const connected = await connect(h, [ids.nordlichtPage])
    const changed = await h.control<{ invalidatedTokens: number }>('POST', 'password', { userId: maria().id })
    expect(changed.body.invalidatedTokens).toBeGreaterThanOrEqual(3)
    for (const token of [connected.longLivedToken, connected.pageTokens[ids.nordlichtPage] ?? '']) {
      const { status, body } = await h.graph('GET', '/v25.0/me', { access_token: token })
      expect(status).toBe(400)
      expect(body).toMatchObject({ error: { type: 'OAuthException', code: 190, error_subcode: 460 } })
    }
    const debug = await h.graph<{ data: { is_valid: boolean; error: { subcode: number } } }>('GET', '/debug_token', { input_token: connected.longLivedToken, access_token: `${h.state.app.id}|${h.state.app.secret}` })
    expect(debug.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } })
  })

  it("a password change also ends the person's Facebook web session", async () => {
    const { cookie } = await walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password, pageIds: [ids.nordlichtPage] })
    const before = await (await fetch(`${h.url}/dialog/oauth?${dialogQuery()}`, { headers: { cookie } })).text()
    expect(before).toContain('Continue')
    await h.control('POST', 'password', { userId: maria().id, password: 'new-password-1' })
    const after = await (await fetch(`${h.url}/dialog/oauth?${dialogQuery()}`, { headers: { cookie } })).text()
    expect(after).toContain('Email or phone')
    expect(after).not.toContain('Continue')
    await expect(walkDialog(h.url, h.state.app.id, { email: maria().email, password: maria().password })).rejects.toThrow(/login failed/)
    await expect(walkDialog(h.url, h.state.app.id, { email: maria().email, password: 'new-password-1' })).resolves.toBeDefined()
  })

  it('/me/permissions lists grants; DELETE revokes one, or the whole app (190/458)', async () => {
    const connected = await connect(h, [ids.nordlichtPage])
    const list = await h.graph<{ data: { permission: string; status: string }[] }>('GET', '/me/permissions', { access_token: connected.longLivedToken })
    expect(list.body.data).toContainEqual({ permission: 'instagram_manage_messages', status: 'granted' })
    const one = await h.graph('DELETE', '/me/permissions/pages_show_list', { access_token: connected.longLivedToken })
    expect(one.body).toEqual({ success: true })
    const accounts = await h.graph('GET', '/me/accounts', { access_token: connected.longLivedToken })
    expect(accounts.body).toMatchObject({ error: { code: 200 } })
    const all = await h.graph('DELETE', '/me/permissions', { access_token: connected.longLivedToken })
    expect(all.body).toEqual({ success: true })
    const revoked = await h.graph('GET', '/me', { access_token: connected.pageTokens[ids.nordlichtPage] ?? '' })
    expect(revoked.body).toMatchObject({ error: { code: 190, error_subcode: 458 } })
  })

  it('verifies appsecret_proof whenever present', async () => {
    const connected = await connect(h, [ids.nordlichtPage])
    const token = connected.longLivedToken
    const proof = createHmac('sha256', h.state.app.secret).update(token).digest('hex')
    const good = await h.graph('GET', '/me', { access_token: token, appsecret_proof: proof })
    expect(good.body).toMatchObject({ id: maria().id })
    const bad = await h.graph('GET', '/me', { access_token: token, appsecret_proof: '0'.repeat(64) })
    expect(bad.body).toMatchObject({ error: { code: 100, message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException' } })
  })

  it('answers garbage tokens with 190 and no token with the right message', async () => {
    expect((await h.graph('GET', '/me', { access_token: 'garbage' })).body).toMatchObject({ error: { code: 190 } })
    expect((await h.graph('GET', `/${ids.nordlichtPage}`)).body).toMatchObject({ error: { code: 104 } })
  })
})
