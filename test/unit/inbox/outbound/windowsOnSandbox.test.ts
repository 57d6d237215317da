// A3 against the real sandbox: the sender picks messaging_type/tag from the window at send time,
// read back from what Meta received (GET /__sandbox/sent); after 7 days main refuses on its own.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './sandboxHarness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

async function replyAfter(customer: string, wait: string, text: string) {
  const store = h.openTestStore()
  const { sender } = h.sender(store)
  const { conversation, igsid } = await h.customerWrites(store, customer)
  await h.advance(wait)
  const result = await sender.send({ id: randomUUID(), conversationId: conversation.id, text })
  return { store, result, igsid, conversation }
}

describe('reply windows on the sandbox (A3)', () => {
  it('23 h 59 m after the customer wrote: a standard RESPONSE, stored in the thread by its mid', async () => {
    const { store, result, igsid, conversation } = await replyAfter('lea', '23h59m', 'Yes, we open at nine.')
    expect(result).toMatchObject({ ok: true, item: { state: 'sent', messagingType: 'RESPONSE', tag: null, attempts: 1 } })
    const sent = await h.sentTo(igsid)
    expect(sent.map((r) => [r.outcome, r.messaging_type, r.tag, r.message])).toEqual([['accepted', 'RESPONSE', undefined, { text: 'Yes, we open at nine.' }]])
    const mid = sent[0]!.message_id!
    expect(result.ok && result.item.sentMid).toBe(mid)
    expect(await store.messages.get(mid)).toMatchObject({ direction: 'outbound', conversationId: conversation.id, text: 'Yes, we open at nine.' })
  })

  it('24 h 1 m after: MESSAGE_TAG with HUMAN_AGENT', async () => {
    const { result, igsid } = await replyAfter('tomas', '24h1m', 'Sorry for the wait — your beans ship today.')
    expect(result).toMatchObject({ ok: true, item: { state: 'sent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } })
    expect((await h.sentTo(igsid)).map((r) => [r.outcome, r.messaging_type, r.tag])).toEqual([['accepted', 'MESSAGE_TAG', 'HUMAN_AGENT']])
  })

  it('6 d 23 h after: still HUMAN_AGENT', async () => {
    const { result, igsid } = await replyAfter('aylin', '6d23h', 'Following up on your order.')
    expect(result).toMatchObject({ ok: true, item: { state: 'sent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } })
    expect((await h.sentTo(igsid)).map((r) => [r.outcome, r.messaging_type, r.tag])).toEqual([['accepted', 'MESSAGE_TAG', 'HUMAN_AGENT']])
  })

  it('7 d 1 m after: refused in main with the reason; nothing queued, nothing sent', async () => {
    const { store, result, igsid, conversation } = await replyAfter('felix', '7d1m', 'Are you still there?')
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'window_closed', message: expect.stringMatching(/7 days/) }] })
    expect(await store.outbox.unsent(conversation.id)).toEqual([])
    expect((await store.stats()).rows.outbox).toBe(0)
    expect(await h.sentTo(igsid)).toEqual([])
  })

  it('refuses a reply preflight rejects before anything is queued or sent, with every reason', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'jana')
    const long = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'ä'.repeat(501) })
    expect(long).toMatchObject({ ok: false, problems: [{ code: 'text_too_long', params: { over: '2' } }] })
    const video = await sender.send({
      id: randomUUID(), conversationId: conversation.id,
      attachment: { type: 'video', url: `${h.sandbox.url}/cdn/synthetic/30000000/clip.mp4`, mimeType: 'video/mp4', sizeBytes: 30_000_000 },
    })
    expect(video.ok === false && video.problems.map((p) => p.code)).toEqual(['attachment_not_in_profile', 'attachment_over_profile_size', 'attachment_over_instagram_size'])
    expect((await store.stats()).rows.outbox).toBe(0)
    expect(await h.sentTo(igsid)).toEqual([])

    // Exactly at the limit it goes out, and an allowed image too (Meta fetches it from the URL).
    const exact = await sender.send({ id: randomUUID(), conversationId: conversation.id, text: 'ä'.repeat(500) })
    expect(exact).toMatchObject({ ok: true, item: { state: 'sent' } })
    const image = await sender.send({
      id: randomUUID(), conversationId: conversation.id,
      attachment: { type: 'image', url: `${h.sandbox.url}/cdn/synthetic/2000/photo.png`, mimeType: 'image/png', sizeBytes: 2000 },
    })
    expect(image).toMatchObject({ ok: true, item: { state: 'sent', attachment: { type: 'image', mime: 'image/png', size: 2000 } } })
    expect((await h.sentTo(igsid)).map((r) => r.outcome)).toEqual(['accepted', 'accepted'])
  })

  it('sends the same reply id once, however often Send is pressed', async () => {
    const store = h.openTestStore()
    const { sender } = h.sender(store)
    const { conversation, igsid } = await h.customerWrites(store, 'sofia')
    const id = randomUUID()
    const results = await Promise.all([1, 2, 3].map(() => sender.send({ id, conversationId: conversation.id, text: 'Once only' })))
    expect(results.every((r) => r.ok)).toBe(true)
    expect((await store.outbox.get(id))).toMatchObject({ state: 'sent', attempts: 1 })
    expect((await h.sentTo(igsid)).filter((r) => r.outcome === 'accepted')).toHaveLength(1)
  })
})
