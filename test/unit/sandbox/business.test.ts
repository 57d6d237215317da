// Graph conventions and business objects: versions, parameter styles, fields, errors, pages, Instagram accounts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, type Connected, type Harness } from './helpers.ts'

let h: Harness
let connected: Connected
beforeEach(async () => {
  h = await startHarness()
  connected = await connect(h)
})
afterEach(async () => {
  await h.close()
})

type ErrorBody = { error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string } }

describe('Graph conventions', () => {
  it('accepts any vNN.0 prefix and none', async () => {
    for (const prefix of ['/v25.0', '/v19.0', '/v26.0', '']) {
      const { status, body } = await h.graph('GET', `${prefix}/me`, { access_token: connected.longLivedToken })
      expect(status).toBe(200)
      expect(body).toEqual({ name: 'Maria Schmidt', id: h.state.users[0]?.id })
    }
  })

  it('takes parameters by query, form or JSON', async () => {
    const token = connected.pageTokens[ids.nordlichtPage] ?? ''
    for (const style of ['query', 'form', 'json'] as const) {
      const { body } = await h.graph('POST', `/v25.0/${ids.nordlichtPage}/subscribed_apps`, { subscribed_fields: 'messages', access_token: token }, style)
      expect(body).toEqual({ success: true })
    }
    const header = await fetch(`${h.url}/v25.0/me`, { headers: { authorization: `Bearer ${connected.longLivedToken}` } })
    expect(await header.json()).toMatchObject({ name: 'Maria Schmidt' })
  })

  it('answers errors in Meta\'s exact shape with a random fbtrace_id', async () => {
    const first = await h.graph<ErrorBody>('GET', '/v25.0/123456789', { access_token: connected.longLivedToken })
    const second = await h.graph<ErrorBody>('GET', '/v25.0/123456789', { access_token: connected.longLivedToken })
    expect(first.status).toBe(400)
    expect(Object.keys(first.body)).toEqual(['error'])
    expect(Object.keys(first.body.error).sort()).toEqual(['code', 'error_subcode', 'fbtrace_id', 'message', 'type'])
    expect(first.body.error).toMatchObject({
      message: "Unsupported get request. Object with ID '123456789' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
      type: 'GraphMethodException', code: 100, error_subcode: 33,
    })
    expect(first.body.error.fbtrace_id).not.toBe(second.body.error.fbtrace_id)
  })

  it('answers unknown edges with 2500 and unknown fields with 100', async () => {
    const edge = await h.graph<ErrorBody>('GET', '/v25.0/me/feedz', { access_token: connected.longLivedToken })
    expect(edge.body.error).toMatchObject({ code: 2500, message: 'Unknown path components: /feedz', type: 'OAuthException' })
    const field = await h.graph<ErrorBody>('GET', `/v25.0/${ids.nordlichtPage}`, { fields: 'id,colour', access_token: connected.longLivedToken })
    expect(field.body.error).toMatchObject({ code: 100, message: '(#100) Tried accessing nonexisting field (colour) on node type (Page)' })
  })

  it('expands nested fields such as instagram_business_account{id,username}', async () => {
    const { body } = await h.graph('GET', `/v25.0/${ids.nordlichtPage}`, {
      fields: 'name,is_published,instagram_business_account{id,username,name,profile_picture_url}', access_token: connected.longLivedToken,
    })
    expect(body).toMatchObject({
      name: 'Nordlicht Kaffeerösterei', is_published: true, id: ids.nordlichtPage,
      instagram_business_account: { id: ids.nordlichtIg, username: 'nordlicht.kaffee', name: 'Nordlicht Kaffeerösterei' },
    })
    const picture = (body as { instagram_business_account: { profile_picture_url: string } }).instagram_business_account.profile_picture_url
    expect(picture.startsWith(`${h.url}/cdn/`)).toBe(true)
    const image = await fetch(picture)
    expect(image.headers.get('content-type')).toBe('image/png')
  })
})

describe('/me/accounts and pages', () => {
  it('lists granted pages with access_token, tasks and linked Instagram accounts, paged by cursors', async () => {
    const { body } = await h.graph<{ data: Record<string, unknown>[]; paging: { cursors: { before: string; after: string }; next?: string } }>('GET', '/v25.0/me/accounts', {
      fields: 'id,name,access_token,tasks,instagram_business_account{id,username}', limit: '3', access_token: connected.longLivedToken,
    })
    expect(body.data).toHaveLength(3)
    expect(body.data[0]).toMatchObject({ id: ids.nordlichtPage, tasks: expect.arrayContaining(['MESSAGING', 'MANAGE']), instagram_business_account: { id: ids.nordlichtIg } })
    expect(String(body.data[0]?.access_token)).toMatch(/^EAAB/)
    expect(body.paging.next).toBeDefined()
    const next = await (await fetch(body.paging.next ?? '')).json() as { data: Record<string, unknown>[]; paging: { next?: string; previous?: string } }
    expect(next.data.map((page) => page.id)).toEqual([ids.kiezPage, ids.lindgrenPage])
    expect(next.paging.next).toBeUndefined()
    expect(next.paging.previous).toBeDefined()
  })

  it('leaves instagram_business_account out for unlinked and unconfirmed accounts', async () => {
    const read = (pageId: string) => h.graph('GET', `/${pageId}`, { fields: 'is_published,instagram_business_account,connected_instagram_account{id,username}', access_token: connected.longLivedToken })
    expect((await read(ids.kiezPage)).body).toEqual({ is_published: true, id: ids.kiezPage })
    expect((await read(ids.waldmeisterPage)).body).toMatchObject({ is_published: false, instagram_business_account: { id: '17841401234567803' } })
    // Switched personal → professional after linking, not confirmed in the Page settings:
    expect((await read(ids.lindgrenPage)).body).toEqual({ is_published: true, connected_instagram_account: { id: ids.lindgrenIg, username: 'studio.lindgren' }, id: ids.lindgrenPage })
    await h.control('POST', 'page', { pageId: ids.lindgrenPage, igSwitchConfirmed: true })
    expect((await read(ids.lindgrenPage)).body).toMatchObject({ instagram_business_account: { id: ids.lindgrenIg } })
  })

  it('follows control changes to publication, link and account type', async () => {
    const read = () => h.graph('GET', `/${ids.nordlichtPage}`, { fields: 'is_published,instagram_business_account', access_token: connected.longLivedToken })
    await h.control('POST', 'page', { pageId: ids.nordlichtPage, published: false, igProfessional: false })
    expect((await read()).body).toEqual({ is_published: false, id: ids.nordlichtPage })
    await h.control('POST', 'page', { pageId: ids.nordlichtPage, published: true, igProfessional: true, igLinked: false })
    expect((await read()).body).toEqual({ is_published: true, id: ids.nordlichtPage })
    await h.control('POST', 'page', { pageId: ids.nordlichtPage, igLinked: true })
    expect((await read()).body).toMatchObject({ instagram_business_account: { id: ids.nordlichtIg } })
  })

  it('gives the Instagram account\'s fields; personal accounts are not reachable', async () => {
    const { body } = await h.graph('GET', `/v25.0/${ids.nordlichtIg}`, { fields: 'username,name,profile_picture_url,followers_count', access_token: connected.pageTokens[ids.nordlichtPage] ?? '' })
    expect(body).toMatchObject({ username: 'nordlicht.kaffee', name: 'Nordlicht Kaffeerösterei', followers_count: 4210, id: ids.nordlichtIg })
    await h.control('POST', 'page', { pageId: ids.nordlichtPage, igProfessional: false })
    const personal = await h.graph('GET', `/v25.0/${ids.nordlichtIg}`, { fields: 'username', access_token: connected.pageTokens[ids.nordlichtPage] ?? '' })
    expect(personal.body).toMatchObject({ error: { code: 100, error_subcode: 33 } })
  })

  it('hides pages the person did not grant', async () => {
    const partial = await connect(h, [ids.hafenblickPage])
    const accounts = await h.graph<{ data: { id: string }[] }>('GET', '/me/accounts', { access_token: partial.longLivedToken })
    expect(accounts.body.data.map((page) => page.id)).toEqual([ids.hafenblickPage])
    const hidden = await h.graph('GET', `/${ids.nordlichtPage}`, { access_token: partial.longLivedToken })
    expect(hidden.body).toMatchObject({ error: { code: 100, error_subcode: 33 } })
  })

  it('needs pages_show_list for /me/accounts', async () => {
    const limited = await connect(h, [ids.hafenblickPage], 1, ['instagram_basic'])
    const { status, body } = await h.graph('GET', '/me/accounts', { access_token: limited.longLivedToken })
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { code: 200, message: '(#200) Requires pages_show_list permission to manage the object' } })
  })

  it('a page token reads the page itself through /me', async () => {
    const { body } = await h.graph('GET', '/v25.0/me', { fields: 'id,name,instagram_business_account', access_token: connected.pageTokens[ids.hafenblickPage] ?? '' })
    expect(body).toEqual({ id: ids.hafenblickPage, name: 'Hafenblick Hotel', instagram_business_account: { id: ids.hafenblickIg } })
  })
})

describe('subscribed_apps', () => {
  it('subscribes, lists and unsubscribes the app on a page', async () => {
    const token = connected.pageTokens[ids.hafenblickPage] ?? ''
    expect((await h.graph('GET', `/${ids.hafenblickPage}/subscribed_apps`, { access_token: token })).body).toEqual({ data: [] })
    const missing = await h.graph('POST', `/${ids.hafenblickPage}/subscribed_apps`, { access_token: token })
    expect(missing.body).toMatchObject({ error: { code: 100 } })
    await h.graph('POST', `/${ids.hafenblickPage}/subscribed_apps`, { subscribed_fields: 'messages,messaging_postbacks', access_token: token })
    expect((await h.graph('GET', `/${ids.hafenblickPage}/subscribed_apps`, { access_token: token })).body).toMatchObject({
      data: [{ id: h.state.app.id, name: 'Parley Sandbox', subscribed_fields: ['messages', 'messaging_postbacks'] }],
    })
    expect((await h.graph('DELETE', `/${ids.hafenblickPage}/subscribed_apps`, { access_token: token })).body).toEqual({ success: true })
    expect((await h.graph('GET', `/${ids.hafenblickPage}/subscribed_apps`, { access_token: token })).body).toEqual({ data: [] })
  })

  it('needs the token of that page', async () => {
    const wrong = await h.graph('POST', `/${ids.hafenblickPage}/subscribed_apps`, { subscribed_fields: 'messages', access_token: connected.pageTokens[ids.nordlichtPage] ?? '' })
    expect(wrong.body).toMatchObject({ error: { code: 100, error_subcode: 33 } })
    const user = await h.graph('POST', `/${ids.hafenblickPage}/subscribed_apps`, { subscribed_fields: 'messages', access_token: connected.longLivedToken })
    expect(user.body).toMatchObject({ error: { code: 210 } })
  })
})

describe('batch', () => {
  it('runs up to 50 requests and answers each with code, headers and body', async () => {
    const batch = JSON.stringify([{ method: 'GET', relative_url: 'me' }, { method: 'GET', relative_url: 'v25.0/me/nothing' }])
    const { body } = await h.graph<{ code: number; body: string }[]>('POST', '/', { batch, access_token: connected.longLivedToken })
    expect(body.map((item) => item.code)).toEqual([200, 400])
    expect(JSON.parse(body[0]?.body ?? '{}')).toMatchObject({ name: 'Maria Schmidt' })
  })
})
