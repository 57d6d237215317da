// A2 by polling: backfill after downtime through the Conversations API, into the same ingest path
// as webhooks, so a message both deliver is stored once. Paced within 2 calls/s per account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONVERSATIONS_SCOPE } from '../../../../src-main/core/store/index.ts'
import { INTEGRATION, startHarness, type Harness, type Workstation } from './harness.ts'

let h: Harness
let ws: Workstation
beforeEach(async () => {
  h = await startHarness()
  ws = await h.startParley()
})
afterEach(() => h.close())

const inbound = (mid: string) => ws.store.messages.get(mid)

describe('backfill', () => {
  it('after downtime, stores what was sent meanwhile once, and what the webhook brought not again', async () => {
    await ws.subscribe()
    const before = await h.inbound({ from: 'lea', text: 'before the outage' })
    await ws.settle()
    await ws.server.close() // the workstation is off: the sandbox's deliveries fail
    await h.advance(60_000)
    const during = await h.inbound({ from: 'lea', text: 'while you were away' })
    const other = await h.inbound({ from: 'felix', text: 'anyone there?', attachment: { type: 'image' } })
    const echo = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'sent from the phone' })
    await ws.settle()
    expect((await h.deliveries()).slice(1).map((d) => d.state)).toEqual(['failed', 'failed', 'failed'])
    expect(await inbound(during.mid)).toBeNull()

    const [pass] = await ws.poller().pollOnce()
    expect(pass).toMatchObject({ igAccountId: '17841401234567801', integrationId: INTEGRATION, complete: true, problem: null })
    expect(pass!.duplicates).toBeGreaterThanOrEqual(1) // `before`, already stored by webhook
    expect(await inbound(before.mid)).toMatchObject({ text: 'before the outage', createdAt: before.timestamp })
    expect(await inbound(during.mid)).toMatchObject({ direction: 'inbound', kind: 'text', text: 'while you were away' })
    expect(await inbound(other.mid)).toMatchObject({ kind: 'attachment', text: 'anyone there?', attachments: [{ type: 'image', url: expect.stringContaining('/cdn/') }] })
    expect(await inbound(echo.mid)).toMatchObject({ direction: 'echo', text: 'sent from the phone' })
    const conversation = await ws.store.conversations.get((await inbound(during.mid))!.conversationId)
    const thread = await ws.store.messages.page(conversation!.id, { limit: 100 })
    // Each inbound message counted once, though `before` came by both paths.
    expect(conversation).toMatchObject({ unreadCount: thread.filter((m) => m.direction === 'inbound').length, queueId: 'default:integration-nordlicht', assignedAgentId: 'local' })
    expect(thread.filter((m) => m.mid === before.mid)).toHaveLength(1)
    // The seed's older threads came along (the first pass has no watermark yet).
    expect(await ws.store.conversations.count()).toBe(4) // lea, tomas, aylin (seed) and felix
    expect(ws.changes.filter((c) => c.kind === 'message').map((c) => c.mid)).toContain(during.mid)
  })

  it('skips messages older than the 20 most recent (Meta has no details for them), without errors', async () => {
    for (let i = 1; i <= 24; i++) await h.inbound({ from: 'aylin', text: `message ${i}` })
    const [pass] = await ws.poller().pollOnce()
    expect(pass!.olderSkipped).toBeGreaterThanOrEqual(5)
    expect(pass!.problem).toBeNull()
    expect(ws.logLines.filter((l) => l.startsWith('warn'))).toEqual([])
    const graphConversation = (await h.control<{ conversations: { customer: string; messages: number }[] }>('GET', 'state')).conversations.find((c) => c.customer === 'aylin')!
    const ours = await ws.store.conversations.list({ limit: 10 })
    const aylin = ours.find((c) => c.customerIgsid === '6898709940042836')!
    expect((await ws.store.messages.page(aylin.id, { limit: 100 })).length).toBe(20)
    expect(graphConversation.messages).toBeGreaterThan(20)
  })

  it('a later pass reads only conversations that changed, and saves its cursors', async () => {
    const first = await ws.poller().pollOnce()
    expect(first[0]!.conversationsRead).toBe(3)
    const cursors = await ws.store.cursors.forIntegration(INTEGRATION)
    expect(cursors.map((c) => c.scope)).toContain(CONVERSATIONS_SCOPE)
    expect(cursors).toHaveLength(4)
    expect(JSON.parse(cursors.find((c) => c.scope === CONVERSATIONS_SCOPE)!.cursor!)).toEqual({ watermark: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*\+0000$/) })

    await h.advance(5000)
    expect((await ws.poller().pollOnce())[0]).toMatchObject({ conversationsRead: 0, complete: true })

    const fresh = await h.inbound({ from: 'tomas', text: 'one more thing' })
    await h.advance(5000)
    const [pass] = await ws.poller().pollOnce()
    // The walk stops at the previous pass's newest conversation (listed, unchanged, not read).
    expect(pass).toMatchObject({ conversationsListed: 2, conversationsRead: 1, stored: 1, complete: true })
    expect(await inbound(fresh.mid)).toMatchObject({ text: 'one more thing' })
  })

  it('re-reads a conversation read in the same second it changed, so a message in that second is not missed', async () => {
    await ws.poller().pollOnce()
    const sameSecond = await h.inbound({ from: 'lea', text: 'same second' })
    await ws.poller().pollOnce() // reads it; the conversation changed less than 2 s ago: not settled
    const stillSameSecond = await h.inbound({ from: 'lea', text: 'still the same second' })
    await h.advance(3000)
    await ws.poller().pollOnce()
    expect(await inbound(sameSecond.mid)).not.toBeNull()
    expect(await inbound(stillSameSecond.mid)).not.toBeNull()
  })
})

describe('schedule', () => {
  it('start polls now and on, a pass already running is joined, stop waits for it', async () => {
    const poller = ws.poller()
    const [a, b] = [poller.pollOnce(), poller.pollOnce()]
    expect(a).toBe(b)
    await a
    poller.start(60_000)
    await poller.stop()
    expect(await ws.store.conversations.count()).toBe(3)
    expect(await ws.store.cursors.get(INTEGRATION, CONVERSATIONS_SCOPE)).not.toBeNull()
  })
})

describe('webhook and poller together (A2)', () => {
  it('store a message both deliver once, and count it once', async () => {
    await ws.subscribe()
    const release = ws.hold()
    const both = await h.inbound({ from: 'jana', text: 'delivered twice' })
    await ws.poller().pollOnce()
    const byPoller = await inbound(both.mid)
    expect(byPoller).toMatchObject({ text: 'delivered twice' })
    release()
    await ws.settle()
    expect((await h.deliveries()).at(-1)!.attempts.map((a) => a.status)).toEqual([200])
    expect(await inbound(both.mid)).toEqual(byPoller)
    expect(await ws.store.conversations.get(byPoller!.conversationId)).toMatchObject({ unreadCount: 1 })
    expect(ws.changes.filter((c) => c.mid === both.mid)).toHaveLength(1)
  })
})
