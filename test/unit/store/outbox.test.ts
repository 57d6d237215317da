import { expect, it } from 'vitest'
import { conversationFor, describeStore, openAgain } from './helpers.ts'

const T0 = 1_760_000_000_000
const RESPONSE = { messagingType: 'RESPONSE', tag: null } as const

describeStore('the outbox (A9, A10)', (open, engine) => {
  it('claims a reply once, however many senders race for it', async () => {
    const store = await open({ now: () => T0 })
    const c = await conversationFor(store, 'customer-1')
    await store.outbox.enqueue({ id: 'reply-1', conversationId: c.id, text: 'Thanks!' })
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.outbox.claim('reply-1', RESPONSE)))
    expect(claims.filter((c) => c !== null)).toHaveLength(1)
    expect(claims.find((c) => c !== null)).toMatchObject({ state: 'sending', attempts: 1, messagingType: 'RESPONSE', tag: null })
    // A second connection on the same file cannot claim it either.
    const other = await openAgain(engine, store)
    expect(await other.outbox.claim('reply-1', RESPONSE)).toBeNull()
    expect(await store.outbox.pending()).toEqual([])
    await expect(store.outbox.claim('no-such-reply', RESPONSE)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('is idempotent by id, and refuses reusing an id for a different reply', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    const first = await store.outbox.enqueue({ id: 'reply-1', conversationId: c.id, text: 'Thanks!', createdAt: T0 })
    const again = await store.outbox.enqueue({ id: 'reply-1', conversationId: c.id, text: 'Thanks!', createdAt: T0 + 5 })
    expect(first.created).toBe(true)
    expect(again).toEqual({ item: first.item, created: false })
    await expect(store.outbox.enqueue({ id: 'reply-1', conversationId: c.id, text: 'Something else' })).rejects.toMatchObject({ code: 'outbox_conflict' })
    const image = { type: 'image', url: 'https://files.example/a.png', mime: 'image/png', size: 10 } as const
    await store.outbox.enqueue({ id: 'reply-2', conversationId: c.id, attachment: image })
    expect((await store.outbox.enqueue({ id: 'reply-2', conversationId: c.id, attachment: { size: 10, mime: 'image/png', url: image.url, type: 'image' } })).created).toBe(false)
    expect((await store.stats()).rows.outbox).toBe(2)
  })

  it('survives a crash while waiting, and turns one interrupted mid-send into ambiguous, never waiting', async () => {
    const first = await open({ now: () => T0 })
    const c = await conversationFor(first, 'customer-1')
    await first.outbox.enqueue({ id: 'waiting-1', conversationId: c.id, text: 'one', createdAt: T0 })
    await first.outbox.enqueue({ id: 'sending-1', conversationId: c.id, text: 'two', createdAt: T0 + 1 })
    await first.outbox.claim('sending-1', RESPONSE)
    await first.close() // no markSent, no markFailed: as if the process died here

    const second = await openAgain(engine, first, { now: () => T0 + 1000 })
    expect((await second.outbox.pending()).map((i) => [i.id, i.state])).toEqual([['waiting-1', 'waiting']])
    expect(await second.outbox.recoverInterrupted()).toBe(1)
    expect(await second.outbox.get('sending-1')).toMatchObject({ state: 'ambiguous', lastError: { code: 'interrupted' } })
    expect(await second.outbox.claim('sending-1', RESPONSE)).toBeNull()
    expect((await second.outbox.unsent(c.id)).map((i) => i.id)).toEqual(['waiting-1', 'sending-1'])
  })

  it('records the send: the reply enters the thread once, also when its echo came first', async () => {
    const store = await open({ now: () => T0 })
    const c = await conversationFor(store, 'customer-1')
    await store.outbox.enqueue({ id: 'r1', conversationId: c.id, text: 'Your order shipped' })
    await store.outbox.claim('r1', { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    const sent = await store.outbox.markSent('r1', 'mid-r1', T0 + 100)
    expect(sent).toMatchObject({ state: 'sent', sentMid: 'mid-r1', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    expect(await store.outbox.markSent('r1', 'mid-r1')).toMatchObject({ state: 'sent' }) // repeated answer: no change
    await expect(store.outbox.markSent('r1', 'mid-other')).rejects.toMatchObject({ code: 'outbox_conflict' })
    // The webhook's echo of the same mid arrives afterwards: a duplicate.
    expect((await store.messages.insertIfNew({ mid: 'mid-r1', conversationId: c.id, direction: 'echo', kind: 'text', text: 'Your order shipped', createdAt: T0 + 90 })).inserted).toBe(false)

    await store.outbox.enqueue({ id: 'r2', conversationId: c.id, text: 'Anything else?' })
    await store.outbox.claim('r2', RESPONSE)
    await store.messages.insertIfNew({ mid: 'mid-r2', conversationId: c.id, direction: 'echo', kind: 'text', text: 'Anything else?', createdAt: T0 + 200 })
    await store.outbox.markAmbiguous('r2', { code: 'network', message: 'The connection dropped after sending.' })
    await store.outbox.markSent('r2', 'mid-r2', T0 + 300) // reconciled against the echo

    const thread = await store.messages.page(c.id, { limit: 10 })
    expect(thread.map((m) => [m.mid, m.direction, m.text])).toEqual([['mid-r2', 'outbound', 'Anything else?'], ['mid-r1', 'outbound', 'Your order shipped']])
    expect(await store.conversations.get(c.id)).toMatchObject({ lastActivityAt: T0 + 200, unreadCount: 0, lastCustomerMessageAt: null })
    expect(await store.outbox.unsent(c.id)).toEqual([])
  })

  it('moves only along allowed transitions: failed → Retry, ambiguous → not sent, discard', async () => {
    const store = await open({ now: () => T0 })
    const c = await conversationFor(store, 'customer-1')
    await store.outbox.enqueue({ id: 'r1', conversationId: c.id, text: 'hello' })
    await expect(store.outbox.markFailed('r1', { code: 'x', message: 'y' })).rejects.toMatchObject({ code: 'outbox_conflict', message: /waiting, not sending/ })
    await expect(store.outbox.retry('r1')).rejects.toMatchObject({ code: 'outbox_conflict' })
    await store.outbox.claim('r1', RESPONSE)
    const failed = await store.outbox.markFailed('r1', { code: 'window_closed', message: 'This message is sent outside of allowed window.' })
    expect(failed).toMatchObject({ state: 'failed', lastError: { code: 'window_closed', message: 'This message is sent outside of allowed window.' } })
    await expect(store.outbox.markNotSent('r1')).rejects.toMatchObject({ code: 'outbox_conflict' })
    expect(await store.outbox.retry('r1')).toMatchObject({ state: 'waiting', lastError: null, attempts: 1 })
    expect(await store.outbox.claim('r1', RESPONSE)).toMatchObject({ attempts: 2 })
    await store.outbox.markAmbiguous('r1', { code: 'timeout', message: 'No answer from Meta.' })
    await expect(store.outbox.retry('r1')).rejects.toMatchObject({ code: 'outbox_conflict' }) // Retry needs reconciliation first
    expect(await store.outbox.discard('r1')).toBe(false)
    expect(await store.outbox.markNotSent('r1')).toMatchObject({ state: 'waiting' })
    expect(await store.outbox.discard('r1')).toBe(true)
    expect(await store.outbox.get('r1')).toBeNull()
    await expect(store.outbox.retry('r1')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('lists pending replies oldest first', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    for (const [id, at] of [['b', 2], ['a', 1], ['c', 3]] as const) await store.outbox.enqueue({ id, conversationId: c.id, text: id, createdAt: T0 + at })
    expect((await store.outbox.pending()).map((i) => i.id)).toEqual(['a', 'b', 'c'])
    expect((await store.outbox.pending(2)).map((i) => i.id)).toEqual(['a', 'b'])
  })

  it('refuses bad replies and stores nothing', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await expect(store.outbox.enqueue({ id: 'r1', conversationId: c.id })).rejects.toThrow(/either text or one attachment/)
    await expect(store.outbox.enqueue({ id: 'r1', conversationId: c.id, text: 'hi', attachment: { type: 'image', url: 'https://x/y.png' } })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.outbox.enqueue({ id: 'r1', conversationId: c.id, attachment: { type: 'sticker' as never, url: 'https://x/y.png' } })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.outbox.enqueue({ id: 'r1', conversationId: c.id, text: '' })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.outbox.enqueue({ id: 'r1', conversationId: 'missing', text: 'hi' })).rejects.toMatchObject({ code: 'not_found' })
    await store.outbox.enqueue({ id: 'r2', conversationId: c.id, text: 'ok' })
    await expect(store.outbox.claim('r2', { messagingType: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' as never })).rejects.toMatchObject({ code: 'invalid_input' })
    expect(await store.outbox.get('r2')).toMatchObject({ state: 'waiting', attempts: 0 })
    expect((await store.stats()).rows.outbox).toBe(1)
  })
})
