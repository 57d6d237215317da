// A10 against the real sandbox and SQLite on disk: with Graph unreachable replies wait in the
// durable outbox ("Waiting to send") and go out once, in order, when it is back — only if their
// window still allows it, judged at that moment. A crash mid-send is reconciled before any resend.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ReplyGraph } from '../../../../src-main/core/inbox/outbound/index.ts'
import { openStore } from '../../../../src-main/core/store/index.ts'
import { deadGraphBase, eventually, startHarness, type Harness } from './sandboxHarness.ts'

let h: Harness
let dead: ReplyGraph
beforeAll(async () => {
  h = await startHarness()
  dead = h.graphFor(await deadGraphBase())
})
afterEach(() => h.clearFaults())
afterAll(() => h.close())

const accepted = async (igsid: string) => (await h.sentTo(igsid)).filter((r) => r.outcome === 'accepted')

describe('offline (A10)', () => {
  it('waits while Graph is unreachable and sends each reply once, in order, when it is back', async () => {
    const store = h.openTestStore()
    const graphRef = { current: dead }
    const { sender } = h.sender(store, { graphRef })
    const { conversation, igsid } = await h.customerWrites(store, 'lea')

    const first = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'First, while offline' })
    expect(first).toMatchObject({ ok: true, item: { state: 'waiting', lastError: null } })
    expect(sender.status()).toMatchObject({ unreachableSince: expect.any(Number), lastProblem: { code: 'network.offline' } })
    const second = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'Second, while offline' })
    expect(second).toMatchObject({ ok: true, item: { state: 'waiting' } })
    expect(await sender.flush()).toMatchObject({ unreachable: true, sent: 0, waiting: 2 })
    expect(await store.outbox.pending()).toHaveLength(2)
    expect(await h.sentTo(igsid)).toEqual([])

    graphRef.current = h.graph
    expect(await sender.flush()).toMatchObject({ unreachable: false, sent: 2, waiting: 0 })
    expect(sender.status().unreachableSince).toBeNull()
    expect((await accepted(igsid)).map((r) => r.message)).toEqual([{ text: 'First, while offline' }, { text: 'Second, while offline' }])
    expect(await sender.flush()).toMatchObject({ sent: 0 })
    expect(await accepted(igsid)).toHaveLength(2)
  })

  it('a reply waits behind an earlier one of its conversation, so they never arrive out of order', async () => {
    const store = h.openTestStore()
    const graphRef = { current: dead }
    const { sender } = h.sender(store, { graphRef })
    const { conversation, igsid } = await h.customerWrites(store, 'tomas')
    await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'one' })
    graphRef.current = h.graph
    // Graph is back, but "one" has not gone out yet: "two" must not overtake it.
    expect(await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'two' })).toMatchObject({ ok: true, item: { state: 'waiting' } })
    await sender.flush()
    expect((await accepted(igsid)).map((r) => r.message)).toEqual([{ text: 'one' }, { text: 'two' }])
  })

  it('re-checks the window when the reply finally goes out: 24 h passed → HUMAN_AGENT', async () => {
    const store = h.openTestStore()
    const graphRef = { current: dead }
    const { sender } = h.sender(store, { graphRef })
    const { conversation, igsid } = await h.customerWrites(store, 'aylin')
    await h.advance('23h')
    expect(await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'Queued in the 24 h window' })).toMatchObject({ ok: true, item: { state: 'waiting' } })
    await h.advance('2h')
    graphRef.current = h.graph
    await sender.flush()
    expect((await accepted(igsid)).map((r) => [r.messaging_type, r.tag])).toEqual([['MESSAGE_TAG', 'HUMAN_AGENT']])
  })

  it('a reply whose window closed while it waited fails with the window reason and is never sent', async () => {
    const store = h.openTestStore()
    const graphRef = { current: dead }
    const { sender } = h.sender(store, { graphRef })
    const { conversation, igsid } = await h.customerWrites(store, 'jana')
    const id = randomUUID()
    expect(await sender.send({ id, conversationId: conversation.id, text: 'Too late in the end' })).toMatchObject({ ok: true, item: { state: 'waiting' } })
    await h.advance('7d1m')
    graphRef.current = h.graph
    expect(await sender.flush()).toMatchObject({ failed: 1, sent: 0 })
    expect(await store.outbox.get(id)).toMatchObject({ state: 'failed', text: 'Too late in the end', lastError: { code: 'window_closed' } })
    expect(await h.sentTo(igsid)).toEqual([])
    // Retry cannot get it out either: the main process keeps refusing.
    expect(await sender.retry(id)).toMatchObject({ state: 'failed', lastError: { code: 'window_closed' } })
    expect(await h.sentTo(igsid)).toEqual([])
  })

  it('the running loop backs off while Graph is away and sends once it is back', async () => {
    const store = h.openTestStore()
    const graphRef = { current: dead }
    const { sender } = h.sender(store, { graphRef, maxBackoffMs: 50 })
    const { conversation, igsid } = await h.customerWrites(store, 'felix')
    const id = randomUUID()
    await sender.send({ id, conversationId: conversation.id, text: 'Sent by the loop' })
    await sender.start(10)
    try {
      graphRef.current = h.graph
      await eventually(async () => ((await store.outbox.get(id))?.state === 'sent' ? true : undefined), 'the loop to send the reply')
    } finally {
      await sender.stop()
    }
    expect(await accepted(igsid)).toHaveLength(1)
  })
})

describe('a crash mid-send (A9, A10)', () => {
  async function crashWhileSending(customer: string, text: string) {
    const before = h.openTestStore()
    const { conversation, igsid } = await h.customerWrites(before, customer)
    const id = randomUUID()
    await before.outbox.enqueue({ id, conversationId: conversation.id, text })
    await before.outbox.claim(id, { messagingType: 'RESPONSE', tag: null })
    const file = before.filePath
    before.close() // the process died between claim and Meta's answer
    return { file, id, conversation, igsid }
  }

  it('the request never reached Meta: recovered as ambiguous, reconciled as not sent, sent once', async () => {
    const { file, id, igsid } = await crashWhileSending('sofia', 'Interrupted before Meta')
    const store = openStore(file, { now: h.now })
    try {
      const { sender } = h.sender(store)
      expect(await sender.start(60_000)).toEqual({ recovered: 1 })
      await sender.stop()
      expect(await store.outbox.get(id)).toMatchObject({ state: 'ambiguous', lastError: { code: 'interrupted' } })
      await h.advance('2m')
      expect(await sender.flush()).toMatchObject({ reconciled: 1, sent: 1 })
      expect((await accepted(igsid)).map((r) => r.message)).toEqual([{ text: 'Interrupted before Meta' }])
    } finally {
      store.close()
    }
  })

  it('the request reached Meta just before the crash: found sent, never sent again — also after a second restart', async () => {
    const { file, id, igsid } = await crashWhileSending('lea', 'Interrupted after Meta took it')
    // What the dead process had already sent.
    await h.graph.send(h.pageToken, { recipientId: igsid, text: 'Interrupted after Meta took it', messagingType: 'RESPONSE' })

    // First restart: recovered as ambiguous, then the process stops again before reconciling.
    const once = openStore(file, { now: h.now })
    expect(await h.sender(once).sender.start(60_000)).toEqual({ recovered: 1 })
    once.close()

    // Second restart: the ambiguous reply is found again (not only those interrupted this time).
    const store = openStore(file, { now: h.now })
    try {
      const { sender } = h.sender(store)
      expect(await sender.start(60_000)).toEqual({ recovered: 0 })
      await sender.stop()
      expect(sender.status().toReconcile).toBe(1)
      await h.advance('2m')
      expect(await sender.flush()).toMatchObject({ reconciled: 1, sent: 0 })
      const sent = await accepted(igsid)
      expect(sent.filter((r) => typeof r.message === 'object' && r.message.text === 'Interrupted after Meta took it')).toHaveLength(1)
      expect(await store.outbox.get(id)).toMatchObject({ state: 'sent', sentMid: sent.at(-1)!.message_id })
    } finally {
      store.close()
    }
  })
})
