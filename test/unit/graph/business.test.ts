import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { APP_ID, APP_SECRET, PAGE_TOKEN, startFakeMeta, testClient, USER_TOKEN, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const page = (n: number, ig = true) => ({
  access_token: `EAApage${n}`,
  category: 'Shopping & retail',
  category_list: [{ id: '2201', name: 'Shopping & retail' }],
  name: `Page ${n}`,
  id: `10000000000000${n}`,
  tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
  is_published: n !== 3,
  ...(ig ? { instagram_business_account: { id: `1784140000000000${n}`, username: `shop${n}`, name: `Shop ${n}`, profile_picture_url: `https://cdn.example/${n}.jpg` } } : {}),
})

const next = (after: string) => `https://graph.facebook.com/v25.0/100/accounts?access_token=${USER_TOKEN}&limit=2&after=${after}`

describe('listPages', () => {
  it('follows the cursors through all three pages of /me/accounts', async () => {
    const { client } = testClient(meta)
    meta.on(
      'GET /me/accounts',
      { json: { data: [page(1), page(2)], paging: { cursors: { before: 'QVFIb1', after: 'QVFIa2' }, next: next('QVFIa2') } } },
      { json: { data: [page(3), page(4, false)], paging: { cursors: { before: 'QVFIb3', after: 'QVFIa4' }, next: next('QVFIa4') } } },
      { json: { data: [page(5)], paging: { cursors: { before: 'QVFIb5', after: 'QVFIa5' } } } },
    )
    const pages = await client.listPages(USER_TOKEN)
    expect(pages.map((p) => p.id)).toEqual(['100000000000001', '100000000000002', '100000000000003', '100000000000004', '100000000000005'])
    expect(pages[0]).toEqual({
      id: '100000000000001', name: 'Page 1', accessToken: 'EAApage1', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
      isPublished: true, instagram: { id: '17841400000000001', username: 'shop1', name: 'Shop 1', profilePictureUrl: 'https://cdn.example/1.jpg' },
    })
    expect(pages[2]!.isPublished).toBe(false)
    expect(pages[3]!.instagram).toBeNull()

    expect(meta.requests.map((r) => r.query.after)).toEqual([undefined, 'QVFIa2', 'QVFIa4'])
    for (const request of meta.requests) {
      expect(request.query.fields).toBe('id,name,access_token,tasks,is_published,instagram_business_account{id,username,name,profile_picture_url}')
      expect(request.query.access_token).toBe(USER_TOKEN)
    }
  })

  it('stops at the page without a next link even when it has cursors', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/accounts', { json: { data: [page(1)], paging: { cursors: { before: 'b', after: 'a' } } } })
    expect(await client.listPages(USER_TOKEN)).toHaveLength(1)
    expect(meta.requests).toHaveLength(1)
  })

  it('refuses a cursor that never advances instead of looping', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/accounts', { json: { data: [page(1)], paging: { cursors: { after: 'same' }, next: next('same') } } })
    await expect(client.listPages(USER_TOKEN)).rejects.toMatchObject({ kind: 'unexpected_response', endpoint: 'GET /me/accounts' })
    expect(meta.requests.length).toBeLessThanOrEqual(3)
  })

  it('has an empty list for a person without pages', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/accounts', { json: { data: [] } })
    expect(await client.listPages(USER_TOKEN)).toEqual([])
  })
})

describe('me, page and Instagram account', () => {
  it('reads the person, any page fields, and the Instagram account', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', { json: { id: '10160000000000001', name: 'Sam Supervisor' } })
    meta.on('GET /134895793791914', { json: { instagram_business_account: { id: '17841405822304914' }, id: '134895793791914' } })
    meta.on('GET /17841405822304914', { json: { id: '17841405822304914', username: 'shop', name: 'Shop', profile_picture_url: 'https://cdn/x.jpg' } })

    expect(await client.me(USER_TOKEN)).toEqual({ id: '10160000000000001', name: 'Sam Supervisor' })
    expect(await client.page('134895793791914', PAGE_TOKEN, ['instagram_business_account'])).toEqual({
      id: '134895793791914', instagram_business_account: { id: '17841405822304914' },
    })
    expect(await client.igAccount('17841405822304914', PAGE_TOKEN)).toEqual({
      id: '17841405822304914', username: 'shop', name: 'Shop', profilePictureUrl: 'https://cdn/x.jpg',
    })
    expect(meta.requests.map((r) => r.query.fields)).toEqual(['id,name', 'instagram_business_account', 'id,username,name,profile_picture_url'])
  })
})

describe('webhook subscriptions', () => {
  it('subscribes, lists and unsubscribes the app on a page with the page token', async () => {
    const { client } = testClient(meta)
    meta.on('POST /134895793791914/subscribed_apps', { json: { success: true } })
    meta.on('GET /134895793791914/subscribed_apps', {
      json: { data: [{ category: 'Business', link: 'https://parley.example/', name: 'Parley', id: APP_ID, subscribed_fields: ['messages', 'messaging_seen'] }] },
    })
    meta.on('DELETE /134895793791914/subscribed_apps', { json: { success: true } })

    await client.subscribeApp('134895793791914', PAGE_TOKEN, ['messages', 'messaging_seen'])
    expect(await client.subscribedApps('134895793791914', PAGE_TOKEN)).toEqual([{ id: APP_ID, name: 'Parley', subscribedFields: ['messages', 'messaging_seen'] }])
    await client.unsubscribeApp('134895793791914', PAGE_TOKEN)

    expect(meta.requests[0]).toMatchObject({ method: 'POST', query: { subscribed_fields: 'messages,messaging_seen', access_token: PAGE_TOKEN } })
    expect(meta.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'DELETE'])
  })

  it('refuses an answer that is not success', async () => {
    const { client } = testClient(meta)
    meta.on('POST /1/subscribed_apps', { json: { success: false } })
    await expect(client.subscribeApp('1', PAGE_TOKEN, ['messages'])).rejects.toMatchObject({ kind: 'unexpected_response' })
  })

  it('subscribes the app to Instagram webhooks with the app token', async () => {
    const { client } = testClient(meta)
    meta.on(`POST /${APP_ID}/subscriptions`, { json: { success: true } })
    await client.subscribeAppWebhooks({ callbackUrl: 'https://hooks.example/meta', verifyToken: 'verify-me', fields: ['messages', 'messaging_seen'] })
    const [request] = meta.requests
    expect(request!.query.access_token).toBe(`${APP_ID}|${APP_SECRET}`)
    expect(request!.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/)
    expect(request!.body).toEqual({ object: 'instagram', callback_url: 'https://hooks.example/meta', verify_token: 'verify-me', fields: 'messages,messaging_seen' })
  })
})
