// Faults from both sides: our receiver failing (Meta retries, the message is stored once) and Meta
// throttling the poller (it waits and completes), with the pacer keeping it within 2 calls/s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONVERSATIONS_SCOPE } from '../../../../src-main/core/store/index.ts'
import { INTEGRATION, startHarness, type Harness } from './harness.ts'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const THROTTLED = { code: 613, message: 'Calls to this API have exceeded the rate limit.' }
const conversationsApi = () => h.calls.filter((c) => /\/conversations$|^\/[^/]+\/messages$/.test(c.path))

describe('the receiver fails, Meta retries (A2, X4)', () => {
  it('a payload refused before it was stored arrives again and is stored once', async () => {
    let failures = 1
    const ws = await h.startParley({
      onPayload: async (payload, ingest) => {
        if (failures-- > 0) throw new Error('database is locked')
        return ingest(payload)
      },
    })
    await ws.subscribe()
    const sent = await h.inbound({ from: 'lea', text: 'are you there?' })
    await ws.settle()
    expect((await h.deliveries())[0]!.attempts.map((a) => a.status)).toEqual([500, 200])
    const message = await ws.store.messages.get(sent.mid)
    expect(message).toMatchObject({ text: 'are you there?' })
    expect(await ws.store.conversations.get(message!.conversationId)).toMatchObject({ unreadCount: 1 })
    expect(ws.logLines.some((l) => l.startsWith('error webhook payload could not be stored'))).toBe(true)
  })

  it('a payload stored but answered with 500 arrives again and is not stored twice', async () => {
    let failures = 1
    const ws = await h.startParley({
      onPayload: async (payload, ingest) => {
        await ingest(payload)
        if (failures-- > 0) throw new Error('crashed after storing')
      },
    })
    await ws.subscribe()
    const sent = await h.inbound({ from: 'tomas', text: 'once please' })
    await ws.settle()
    expect((await h.deliveries())[0]!.attempts.map((a) => a.status)).toEqual([500, 200])
    const message = await ws.store.messages.get(sent.mid)
    expect(await ws.store.conversations.get(message!.conversationId)).toMatchObject({ unreadCount: 1 })
    expect(ws.changes.filter((c) => c.kind === 'message')).toHaveLength(1)
  })
})

describe('the poller within Meta’s limits', () => {
  it('never makes more than 2 Conversations API calls in any second of the sandbox clock, and is never refused', async () => {
    const ws = await h.startParley()
    for (const customer of ['felix', 'jana', 'sofia']) await h.inbound({ from: customer, text: `hi from ${customer}` })
    const [pass] = await ws.poller().pollOnce()
    expect(pass).toMatchObject({ complete: true, conversationsRead: 6, backoffs: 0 })
    const calls = conversationsApi()
    expect(calls).toHaveLength(7)
    expect(calls.filter((c) => c.status !== 200)).toEqual([])
    for (const call of calls) expect(calls.filter((other) => other.at > call.at - 1000 && other.at <= call.at).length).toBeLessThanOrEqual(2)
    expect(ws.pollerSleeps.filter((ms) => ms === 500).length).toBeGreaterThanOrEqual(6)
  })

  it('backs off on (#613) and completes the pass', async () => {
    const ws = await h.startParley()
    await h.control('POST', 'faults', { path: '/*/conversations', method: 'GET', error: THROTTLED, times: 2 })
    await h.control('POST', 'faults', { path: '/*/messages', method: 'GET', error: THROTTLED, times: 1 })
    const [pass] = await ws.poller().pollOnce()
    expect(pass).toMatchObject({ complete: true, conversationsRead: 3, backoffs: 3, problem: null })
    expect(conversationsApi().map((c) => c.code).filter((code) => code !== null)).toEqual([613, 613, 613])
    // Exponential: 2 s, then 4 s before the list; 2 s before the conversation.
    expect(ws.pollerSleeps.filter((ms) => ms >= 2000)).toEqual([2000, 4000, 2000])
    expect(ws.logLines.filter((l) => l.startsWith('warn Meta is throttling the poller'))).toHaveLength(3)
    expect(await ws.store.conversations.count()).toBe(3)
  })

  it('gives up for this pass when throttling persists, keeps its watermark, and catches up next pass', async () => {
    const ws = await h.startParley()
    await h.control('POST', 'faults', { path: '/*/conversations', method: 'GET', error: THROTTLED, times: 3 })
    const [stopped] = await ws.poller({ backoff: { maxAttempts: 3 } }).pollOnce()
    expect(stopped).toMatchObject({ complete: false, problem: 'rate_limited.api', backoffs: 2 })
    expect(await ws.store.cursors.get(INTEGRATION, CONVERSATIONS_SCOPE)).toBeNull()
    expect(await ws.store.conversations.count()).toBe(0)

    const [next] = await ws.poller().pollOnce()
    expect(next).toMatchObject({ complete: true, problem: null, conversationsRead: 3 })
    expect(await ws.store.cursors.get(INTEGRATION, CONVERSATIONS_SCOPE)).not.toBeNull()
  })

  it('skips a conversation Meta cannot show this pass, reads it the next', async () => {
    const ws = await h.startParley()
    await h.control('POST', 'faults', { path: '/*/messages', method: 'GET', status: 500, times: 1 })
    const [first] = await ws.poller().pollOnce()
    expect(first).toMatchObject({ complete: false, conversationsRead: 2, problem: null })
    expect(await ws.store.cursors.get(INTEGRATION, CONVERSATIONS_SCOPE)).toBeNull()
    await h.advance(5000)
    const [second] = await ws.poller().pollOnce()
    expect(second).toMatchObject({ complete: true, conversationsRead: 1 })
    expect(await ws.store.conversations.count()).toBe(3)
  })
})
