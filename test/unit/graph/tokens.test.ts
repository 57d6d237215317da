import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GraphError } from '../../../src-main/core/graph/index.ts'
import { APP_ID, APP_SECRET, PAGE_TOKEN, startFakeMeta, testClient, USER_TOKEN, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)

// Written out here rather than imported, so that a wrong key/message order in the client shows.
const expectedProof = (token: string) => createHmac('sha256', Buffer.from(APP_SECRET, 'utf8')).update(Buffer.from(token, 'utf8')).digest('hex')

describe('appsecret_proof', () => {
  it('goes with every call that carries an access token, next to the token', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', { json: { id: '100', name: 'Sam' } })
    meta.on('GET /me/permissions', { json: { data: [] } })
    meta.on('POST /me/messages', { json: { recipient_id: '9', message_id: 'm1' } })
    meta.on('GET /debug_token', { json: { data: { is_valid: true, app_id: APP_ID, scopes: [] } } })

    await client.me(USER_TOKEN)
    await client.permissions(USER_TOKEN)
    await client.send(PAGE_TOKEN, { recipientId: '9', text: 'hi', messagingType: 'RESPONSE' })
    await client.debugToken(PAGE_TOKEN)

    const [me, permissions, send, debug] = meta.requests
    expect(me!.query).toMatchObject({ access_token: USER_TOKEN, appsecret_proof: expectedProof(USER_TOKEN) })
    expect(permissions!.query).toMatchObject({ access_token: USER_TOKEN, appsecret_proof: expectedProof(USER_TOKEN) })
    expect(send!.query).toMatchObject({ access_token: PAGE_TOKEN, appsecret_proof: expectedProof(PAGE_TOKEN) })
    const appToken = `${APP_ID}|${APP_SECRET}`
    expect(debug!.query).toMatchObject({ access_token: appToken, appsecret_proof: expectedProof(appToken), input_token: PAGE_TOKEN })
    expect(meta.requests.every((r) => r.version === 'v25.0')).toBe(true)
  })

  it('is computed from the secret as it is at the time of the call', async () => {
    let secret = APP_SECRET
    const { client } = testClient(meta, { appSecret: async () => secret })
    meta.on('GET /me', { json: { id: '100' } })
    await client.me(USER_TOKEN)
    secret = 'a-rotated-secret'
    await client.me(USER_TOKEN)
    expect(meta.requests[1]!.query.appsecret_proof).toBe(createHmac('sha256', 'a-rotated-secret').update(USER_TOKEN).digest('hex'))
  })

  it('without an app secret, fails as not_configured before anything is sent', async () => {
    const { client } = testClient(meta, { appSecret: async () => null })
    const error = await client.me(USER_TOKEN).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GraphError)
    expect(error).toMatchObject({ kind: 'not_configured', reason: 'not_configured.app_secret' })
    expect(meta.requests).toHaveLength(0)
  })
})

describe('token exchanges', () => {
  it('exchanges a short-lived token for a long-lived one with the app secret', async () => {
    const { client } = testClient(meta)
    meta.on('GET /oauth/access_token', { json: { access_token: 'EAAlong', token_type: 'bearer', expires_in: 5183944 } })
    const grant = await client.exchangeForLongLived('EAAshort')
    expect(grant).toEqual({ accessToken: 'EAAlong', tokenType: 'bearer', expiresIn: 5183944, expiresAt: new Date(NOW + 5_183_944_000) })
    expect(meta.requests[0]!.query).toEqual({
      grant_type: 'fb_exchange_token', client_id: APP_ID, client_secret: APP_SECRET, fb_exchange_token: 'EAAshort',
    })
  })

  it('exchanges a code with the same redirect_uri, and never twice on its own', async () => {
    const { client } = testClient(meta)
    meta.on('GET /oauth/access_token', { status: 500, json: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } } })
    await expect(client.exchangeCode('AQDcode', 'https://www.facebook.com/connect/login_success.html')).rejects.toMatchObject({ kind: 'temporary' })
    expect(meta.requests).toHaveLength(1)
    expect(meta.requests[0]!.query).toEqual({
      client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: 'https://www.facebook.com/connect/login_success.html', code: 'AQDcode',
    })

    meta.on('GET /oauth/access_token', { json: { access_token: 'EAAuser', token_type: 'bearer', expires_in: 7200 } })
    expect(await client.exchangeCode('AQDcode2', 'https://x/')).toMatchObject({ accessToken: 'EAAuser', expiresIn: 7200 })
  })

  it('gets an app token with client_credentials', async () => {
    const { client } = testClient(meta)
    meta.on('GET /oauth/access_token', { json: { access_token: `${APP_ID}|hashpart`, token_type: 'bearer' } })
    expect(await client.appToken()).toBe(`${APP_ID}|hashpart`)
    expect(meta.requests[0]!.query).toEqual({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: APP_SECRET })
  })
})

describe('debug_token', () => {
  it('reads a page token that never expires (expires_at: 0) with its granular scopes', async () => {
    const { client } = testClient(meta)
    meta.on('GET /debug_token', {
      json: {
        data: {
          app_id: APP_ID, type: 'PAGE', application: 'Parley', data_access_expires_at: 1788000000, expires_at: 0, is_valid: true,
          issued_at: 1780000000, metadata: { sso: 'chrome_custom_tab' }, profile_id: '134895793791914',
          scopes: ['pages_show_list', 'instagram_basic', 'instagram_manage_messages'],
          granular_scopes: [{ scope: 'pages_show_list', target_ids: ['134895793791914'] }, { scope: 'instagram_basic' }],
          user_id: '10160000000000001',
        },
      },
    })
    expect(await client.debugToken(PAGE_TOKEN)).toEqual({
      isValid: true, type: 'PAGE', appId: APP_ID, application: 'Parley', userId: '10160000000000001', profileId: '134895793791914',
      scopes: ['pages_show_list', 'instagram_basic', 'instagram_manage_messages'],
      granularScopes: [{ scope: 'pages_show_list', targetIds: ['134895793791914'] }, { scope: 'instagram_basic', targetIds: [] }],
      issuedAt: new Date(1_780_000_000_000), expiresAt: null, dataAccessExpiresAt: new Date(1_788_000_000_000),
    })
  })

  it('gives an expiry date when there is one', async () => {
    const { client } = testClient(meta)
    meta.on('GET /debug_token', { json: { data: { app_id: APP_ID, type: 'USER', expires_at: 1785000000, is_valid: true, scopes: [], user_id: '1' } } })
    expect((await client.debugToken(USER_TOKEN)).expiresAt).toEqual(new Date(1_785_000_000_000))
  })

  it('explains an invalid token in the words a failed call would use', async () => {
    const { client } = testClient(meta)
    meta.on('GET /debug_token', {
      json: {
        data: {
          app_id: APP_ID, type: 'USER', expires_at: 1785000000, is_valid: false, scopes: [], user_id: '1',
          error: {
            code: 190, subcode: 460,
            message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
          },
        },
      },
    })
    const info = await client.debugToken(USER_TOKEN)
    expect(info.isValid).toBe(false)
    expect(info.problem).toMatchObject({
      reason: 'token_invalid.password_changed', code: 190, subcode: 460,
      remedy: 'Delete and recreate the integration (Recreate) to log in again.',
    })
  })

  it('reads a token Meta cannot parse (no app_id, no type)', async () => {
    const { client } = testClient(meta)
    meta.on('GET /debug_token', { json: { data: { error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }, is_valid: false, scopes: [] } } })
    const info = await client.debugToken('garbage')
    expect(info).toMatchObject({ isValid: false, appId: null, type: null, expiresAt: null, problem: { reason: 'token_invalid.other' } })
  })
})

describe('permissions', () => {
  it('lists granted and declined permissions', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/permissions', { json: { data: [{ permission: 'public_profile', status: 'granted' }, { permission: 'instagram_manage_messages', status: 'declined' }] } })
    expect(await client.permissions(USER_TOKEN)).toEqual([
      { permission: 'public_profile', status: 'granted' },
      { permission: 'instagram_manage_messages', status: 'declined' },
    ])
  })

  it('revokes the whole login or one permission with DELETE', async () => {
    const { client } = testClient(meta)
    meta.on('DELETE /me/permissions', { json: { success: true } })
    meta.on('DELETE /me/permissions/instagram_basic', { json: true })
    await client.revokePermissions(USER_TOKEN)
    await client.revokePermissions(USER_TOKEN, 'instagram_basic')
    expect(meta.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /me/permissions', 'DELETE /me/permissions/instagram_basic'])
  })

  it('is not repeated when a revoke fails for a temporary reason', async () => {
    const { client } = testClient(meta)
    meta.on('DELETE /me/permissions', { status: 500, json: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true } } })
    await expect(client.revokePermissions(USER_TOKEN)).rejects.toMatchObject({ kind: 'temporary' })
    expect(meta.requests).toHaveLength(1)
  })
})
