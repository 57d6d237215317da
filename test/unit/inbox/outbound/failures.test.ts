// A9 against the real sandbox: Meta's refusals are shown with its reason and kept for Retry;
// ambiguous sends (dropped connection, timeout) are reconciled through the Conversations API and
// the stored echo, so each reply reaches Meta exactly once.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startHarness, type Harness } from './sandboxHarness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterEach(() => h.clearFaults())
afterAll(() => h.close())

const accepted = async (igsid: string) => (await h.sentTo(igsid)).filter((r) => r.outcome === 'accepted')

describe('failed sends (A9)', () => {
  it('a 1200 temporary failure is failed with Meta’s reason; Retry sends it once', async () => {
    const store = h.openTestStore()
    const { sender, changes } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'lea')
    await h.fault({ path: '/me/messages', method: 'POST', error: { code: 1200, message: 'Temporary send message failure. Please try again later.' }, times: 1 })

    const id = randomUUID()
    const first = await sender.send({ id, conversationId: conversation.id, text: 'Your table is booked.' })
    expect(first).toMatchObject({ ok: true, item: { state: 'failed', lastError: { code: 'temporary.send' } } })
    expect(first.ok && first.item.lastError!.message.length).toBeGreaterThan(10)
    expect(await store.outbox.unsent(conversation.id)).toMatchObject([{ id, state: 'failed', text: 'Your table is booked.' }])
    // A failed reply is not sent again on its own.
    expect(await sender.flush()).toMatchObject({ sent: 0 })

    const retried = await sender.retry(id)
    expect(retried).toMatchObject({ state: 'sent', attempts: 2, lastError: null })
    // An injected fault answers before the Send API runs, so Meta's log holds only the one it took.
    expect((await h.sentTo(igsid)).map((r) => [r.outcome, r.message])).toEqual([['accepted', { text: 'Your table is booked.' }]])
    expect(changes.map((c) => c.state)).toEqual(['waiting', 'sending', 'failed', 'waiting', 'sending', 'sent'])
  })

  it('Meta’s outside-window refusal is shown as such and the draft is kept', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'tomas')
    await h.fault({ path: '/me/messages', method: 'POST', error: { code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }, times: 1 })
    const result = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'Draft worth keeping' })
    expect(result).toMatchObject({ ok: true, item: { state: 'failed', text: 'Draft worth keeping', lastError: { code: 'outside_window.expired', message: expect.stringMatching(/outside the allowed reply window/) } } })
    expect(await store.outbox.unsent(conversation.id)).toMatchObject([{ state: 'failed', text: 'Draft worth keeping' }])
    expect(await accepted(igsid)).toEqual([])
  })
})

describe('throttled sends (Meta: 300/s)', () => {
  it('a rate-limit refusal (#613) is not a failure: the reply waits and goes out once on the next flush', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'felix')
    await h.fault({ path: '/me/messages', method: 'POST', error: { code: 613, message: 'Calls to this API have exceeded the rate limit.' }, times: 1 })
    const id = randomUUID()
    expect(await sender.send({ id, conversationId: conversation.id, text: 'After the throttle' })).toMatchObject({ ok: true, item: { state: 'waiting' } })
    expect(sender.status().lastProblem).toMatchObject({ code: 'rate_limited.api' })
    const before = (await accepted(igsid)).length
    expect(await sender.flush()).toMatchObject({ sent: 1 })
    expect((await accepted(igsid)).slice(before).map((r) => r.message)).toEqual([{ text: 'After the throttle' }])
  })
})

describe('ambiguous sends are reconciled, never resent blindly (A9)', () => {
  it('dropped before Meta processed it: reconciliation proves it absent, and it goes out once', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'aylin')
    // The sandbox's drop closes the connection before the Send API runs: Meta never saw it.
    await h.fault({ path: '/me/messages', method: 'POST', drop: true, times: 1 })

    const id = randomUUID()
    const result = await sender.send({ id, conversationId: conversation.id, text: 'Dropped on the way' })
    expect(result).toMatchObject({ ok: true, item: { state: 'ambiguous', lastError: { code: expect.stringMatching(/^network\./) } } })
    expect(await store.outbox.pending()).toEqual([])

    // Too soon to tell (a request may still be in flight at Meta): nothing is decided, nothing sent.
    expect(await sender.reconcile(id)).toMatchObject({ verdict: 'too_early', item: { state: 'ambiguous' } })
    expect(await sender.flush()).toMatchObject({ sent: 0, reconciled: 0 })

    await h.advance('2m')
    const summary = await sender.flush()
    expect(summary).toMatchObject({ reconciled: 1, sent: 1 })
    expect(await store.outbox.get(id)).toMatchObject({ state: 'sent', attempts: 2 })
    const sent = await accepted(igsid)
    expect(sent.map((r) => r.message)).toEqual([{ text: 'Dropped on the way' }])
    expect((await store.outbox.get(id))!.sentMid).toBe(sent[0]!.message_id)
  })

  it('processed by Meta but the answer never came (timeout): reconciliation finds it sent and it is not sent again', async () => {
    const store = h.openTestStore()
    // A client that gives up after 300 ms, and a Meta that answers after 1.5 s — but does process it.
    const { sender } = h.sender(store, { graphRef: { current: h.graphFor(h.sandbox.url, { timeoutMs: 300 }) } })
    const { conversation, igsid } = await h.customerWrites(store, 'jana')
    await h.fault({ path: '/me/messages', method: 'POST', delayMs: 1500, times: 1 })

    const id = randomUUID()
    const result = await sender.send({ id, conversationId: conversation.id, text: 'Slow but delivered' })
    expect(result).toMatchObject({ ok: true, item: { state: 'ambiguous', lastError: { code: 'network.timeout' } } })
    const landed = await eventually(async () => (await accepted(igsid))[0], 'the delayed send to be processed')

    await h.advance('2m')
    expect(await sender.reconcile(id)).toMatchObject({ verdict: 'sent', item: { state: 'sent', sentMid: landed.message_id } })
    expect(await store.messages.get(landed.message_id!)).toMatchObject({ direction: 'outbound', text: 'Slow but delivered' })
    expect(await sender.flush()).toMatchObject({ sent: 0 })
    expect(await accepted(igsid)).toHaveLength(1)
  })

  it('two identical ambiguous replies are matched to two different messages, never both to one', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store, { graphRef: { current: h.graphFor(h.sandbox.url, { timeoutMs: 300 }) } })
    const { conversation, igsid } = await h.customerWrites(store, 'felix')
    const before = (await accepted(igsid)).length // Felix had a reply in an earlier test
    // The first goes through normally, the second times out but is processed.
    const first = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'Thanks!' })
    expect(first).toMatchObject({ ok: true, item: { state: 'sent' } })
    await h.fault({ path: '/me/messages', method: 'POST', delayMs: 1500, times: 1 })
    const second = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'Thanks!' })
    expect(second).toMatchObject({ ok: true, item: { state: 'ambiguous' } })
    await eventually(async () => ((await accepted(igsid)).length === before + 2 ? true : undefined), 'the delayed send to be processed')

    await h.advance('2m')
    const reconciled = await sender.reconcile(second.ok ? second.item.id : '')
    expect(reconciled).toMatchObject({ verdict: 'sent' })
    const mids = (await accepted(igsid)).slice(before).map((r) => r.message_id)
    expect([first.ok && first.item.sentMid, reconciled.item.sentMid].sort()).toEqual([...mids].sort())
  })

  it('cannot tell when the thread moved on past what Meta shows in detail: stays ambiguous until the agent confirms', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'lea')
    const before = (await accepted(igsid)).length // Lea had a reply in an earlier test
    await h.fault({ path: '/me/messages', method: 'POST', drop: true, times: 1 })
    const id = randomUUID()
    expect(await sender.send({ id, conversationId: conversation.id, text: 'Lost in a busy thread?' })).toMatchObject({ ok: true, item: { state: 'ambiguous' } })
    const later = randomUUID()
    // A later reply of the same conversation waits: it must not overtake the unresolved one.
    expect(await sender.send({ id: later, conversationId: conversation.id, text: 'A later reply' })).toMatchObject({ ok: true, item: { state: 'waiting' } })
    // The customer writes 21 more messages: only the 20 most recent carry content at Meta.
    for (let i = 0; i < 21; i++) await h.control('POST', 'inbound', { to: h.igAccountId, from: 'lea', text: `message ${i}` })

    await h.advance('2m')
    expect(await sender.reconcile(id)).toMatchObject({ verdict: 'undetermined', item: { state: 'ambiguous' } })
    expect(await sender.flush()).toMatchObject({ sent: 0, waiting: 1 })
    expect(await accepted(igsid)).toHaveLength(before)

    // The agent checked Instagram: it is not there. It goes out once, then the later one.
    expect(await sender.confirmNotSent(id)).toMatchObject({ state: 'sent' })
    await sender.flush()
    expect((await accepted(igsid)).slice(before).map((r) => r.message)).toEqual([{ text: 'Lost in a busy thread?' }, { text: 'A later reply' }])
  })

  it('settles from the echo ingest already stored, even while Graph is unreachable', async () => {
    const store = h.openTestStore()
    const graphRef = { current: h.graphFor(h.sandbox.url, { timeoutMs: 300 }) as ReturnType<Harness['graphFor']> | null }
    const { sender } = h.sender(store, { graphRef })
    const { conversation, igsid } = await h.customerWrites(store, 'sofia')
    await h.fault({ path: '/me/messages', method: 'POST', delayMs: 1500, times: 1 })
    const id = randomUUID()
    expect(await sender.send({ id, conversationId: conversation.id, text: 'Echo me' })).toMatchObject({ ok: true, item: { state: 'ambiguous' } })
    const landed = await eventually(async () => (await accepted(igsid))[0], 'the delayed send to be processed')
    // Ingest (webhook or poller) stores the business's echo under its mid.
    await store.messages.insertIfNew({ mid: landed.message_id!, conversationId: conversation.id, direction: 'echo', kind: 'text', text: 'Echo me', createdAt: h.now() })

    graphRef.current = h.graphFor('http://127.0.0.1:9') // nothing there
    await h.advance('2m')
    expect(await sender.reconcile(id)).toMatchObject({ verdict: 'sent', item: { state: 'sent', sentMid: landed.message_id } })
    // The echo became Parley's own reply: shown once, as sent by Parley.
    expect(await store.messages.get(landed.message_id!)).toMatchObject({ direction: 'outbound' })
    expect(await accepted(igsid)).toHaveLength(1)
  })
})
