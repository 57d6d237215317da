// The control API: seed contents, clock, validation, reset.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, type Harness } from './helpers.ts'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.close()
})

const isoMs = (iso: string) => Date.parse(iso.replace('+0000', 'Z'))

describe('GET /__sandbox/state: the seed business', () => {
  it('has two people with credentials, the required pages, customers and history', () => {
    const { state } = h
    expect(state.users.length).toBeGreaterThanOrEqual(2)
    for (const user of state.users) expect(user).toMatchObject({ email: expect.stringContaining('@'), password: expect.any(String) })
    const linkedPublished = state.pages.filter((page) => page.published && page.instagram?.linked && page.instagram.professional && page.instagram.switchConfirmed)
    expect(linkedPublished.length).toBeGreaterThanOrEqual(2)
    expect(state.pages.some((page) => !page.published)).toBe(true)
    expect(state.pages.some((page) => !page.instagram?.linked)).toBe(true)
    expect(state.pages.some((page) => page.instagram?.switchConfirmed === false)).toBe(true)
    expect(state.customers.length).toBeGreaterThanOrEqual(5)
    expect(state.customers.filter((customer) => customer.private)).toHaveLength(1)
    expect(state.conversations.length).toBeGreaterThanOrEqual(3)
    for (const id of [state.app.id, ...state.pages.map((page) => page.id)]) expect(id).toMatch(/^\d{15,17}$/)
    expect(state.pages[0]?.instagram?.id).toMatch(/^178414\d{11}$/)
  })

  it('scopes IGSIDs per Instagram account', () => {
    const lea = h.state.customers.find((customer) => customer.id === 'lea')
    expect(lea?.igsids[ids.nordlichtIg]).toMatch(/^\d{16}$/)
    expect(lea?.igsids[ids.nordlichtIg]).not.toBe(lea?.igsids[ids.hafenblickIg])
  })

  it('places history relative to the clock\'s start', () => {
    const now = isoMs(h.state.now)
    const lea = h.state.conversations.find((c) => c.customer === 'lea')
    expect(now - isoMs(lea?.lastCustomerMessageAt ?? '')).toBe(2 * 3_600_000)
  })
})

describe('clock', () => {
  it('advances by s, m, h, d and combinations', async () => {
    const before = isoMs((await h.control<{ now: string }>('GET', 'clock')).body.now)
    const after = isoMs((await h.control<{ now: string }>('POST', 'clock', { advance: '1d1h30m' })).body.now)
    expect(after - before).toBeGreaterThanOrEqual(25.5 * 3_600_000)
    expect(after - before).toBeLessThan(25.5 * 3_600_000 + 60_000)
  })

  it('refuses bad durations and going back', async () => {
    expect((await h.control('POST', 'clock', { advance: 'tomorrow' })).status).toBe(400)
    expect((await h.control('POST', 'clock', { advance: '-1h' })).status).toBe(400)
  })
})

describe('validation and errors', () => {
  it('validates bodies with a readable message', async () => {
    const empty = await h.control<{ error: { message: string; type: string } }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea' })
    expect(empty.status).toBe(400)
    expect(empty.body.error.message).toContain('give text, attachment or story_mention')
    const unknownCustomer = await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'nobody', text: 'x' })
    expect(unknownCustomer.status).toBe(404)
    const unknownRoute = await h.control('GET', 'nothing-here')
    expect(unknownRoute.status).toBe(404)
  })

  it('lets only customers unsend their own messages', async () => {
    const business = await h.control<{ mid: string }>('POST', 'business-send', { from: ids.nordlichtIg, to: 'lea', text: 'hello' })
    expect((await h.control('POST', 'unsend', { mid: business.body.mid })).status).toBe(409)
  })
})

describe('reset', () => {
  it('restores the seed, the clock, and forgets tokens', async () => {
    const connected = await connect(h, [ids.nordlichtPage])
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'sofia', text: 'new conversation' })
    await h.control('POST', 'clock', { advance: '3d' })
    await h.control('POST', 'page', { pageId: ids.nordlichtPage, published: false })
    const reset = await h.control<{ now: string }>('POST', 'reset')
    expect(reset.status).toBe(200)
    const state = (await h.control<typeof h.state>('GET', 'state')).body
    expect(state.conversations).toHaveLength(h.state.conversations.length)
    expect(state.pages.find((page) => page.id === ids.nordlichtPage)?.published).toBe(true)
    expect(Math.abs(isoMs(state.now) - Date.now())).toBeLessThan(3_600_000)
    expect((await h.graph('GET', '/me', { access_token: connected.longLivedToken })).body).toMatchObject({ error: { code: 190 } })
  })
})
