// A1: the customer's profile from the User Profile API, cached once per customer per day; consent
// refusals (230) and outages keep what was cached.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NORDLICHT_IG, startHarness, type Harness, type Workstation } from './harness.ts'

let h: Harness
let ws: Workstation
beforeEach(async () => {
  h = await startHarness()
  ws = await h.startParley()
  await ws.subscribe()
})
afterEach(() => h.close())

const profileCalls = (igsid: string) => h.calls.filter((c) => c.path === `/${igsid}`)

describe('customer profiles', () => {
  it('are fetched once per customer per day, however many messages arrive', async () => {
    const first = await h.inbound({ from: 'lea', text: 'one' })
    await h.inbound({ from: 'lea', text: 'two' })
    await ws.settle()
    await h.inbound({ from: 'lea', text: 'three' })
    await ws.settle()
    expect(profileCalls(first.igsid)).toHaveLength(1)
    const cached = await ws.store.participants.get(NORDLICHT_IG, first.igsid)
    expect(cached).toMatchObject({ name: 'Lea Hoffmann', username: 'lea.hoffmann', fetchedAt: h.now() })

    await h.advance(25 * 3600_000)
    await h.inbound({ from: 'lea', text: 'a day later' })
    await ws.settle()
    expect(profileCalls(first.igsid)).toHaveLength(2)
    expect((await ws.store.participants.get(NORDLICHT_IG, first.igsid))!.fetchedAt).toBe(h.now())
  })

  it('keep the cached profile when Meta fails, and do not ask again at once', async () => {
    const first = await h.inbound({ from: 'tomas', text: 'hello' })
    await ws.settle()
    const cached = await ws.store.participants.get(NORDLICHT_IG, first.igsid)
    await h.advance(25 * 3600_000)
    await h.control('POST', 'faults', { path: `/${first.igsid}`, status: 500 })
    await h.inbound({ from: 'tomas', text: 'again' })
    await ws.settle()
    await h.inbound({ from: 'tomas', text: 'and again' })
    await ws.settle()
    expect(profileCalls(first.igsid).map((c) => c.status)).toEqual([200, 500])
    expect(await ws.store.participants.get(NORDLICHT_IG, first.igsid)).toEqual(cached)
    expect(ws.logLines.some((l) => l.startsWith('warn customer profile could not be fetched'))).toBe(true)
  })

  it('tolerate the consent refusal (230) for someone who never wrote, and store nothing for them', async () => {
    const echo = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'sofia', text: 'Your order is ready' })
    await ws.settle()
    const message = await ws.store.messages.get(echo.mid)
    const conversation = await ws.store.conversations.get(message!.conversationId)
    expect(conversation).toMatchObject({ unreadCount: 0, lastCustomerMessageAt: null })
    expect(profileCalls(conversation!.customerIgsid).map((c) => c.code)).toEqual([230])
    expect(await ws.store.participants.get(NORDLICHT_IG, conversation!.customerIgsid)).toBeNull()
    expect(ws.logLines.some((l) => l.startsWith('info customer profile not available yet (no consent)'))).toBe(true)
  })
})
