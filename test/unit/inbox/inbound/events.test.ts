// A2, A5–A8: each kind of event the sandbox's control API produces arrives by webhook and lands in
// the real SQLite store correctly — and story media and unsent text never reach the disk.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signBody } from '../../../../src-main/core/inbox/inbound/index.ts'
import { NORDLICHT_IG, startHarness, storeBytes, type Harness, type Workstation } from './harness.ts'

let h: Harness
let ws: Workstation
beforeEach(async () => {
  h = await startHarness()
  ws = await h.startParley()
  await ws.subscribe()
})
afterEach(() => h.close())

async function stored(mid: string) {
  const message = await ws.store.messages.get(mid)
  if (!message) throw new Error(`${mid} was not stored`)
  return message
}

describe('messages by webhook', () => {
  it('text: a conversation in the default queue for the local agent, unread, with the customer’s profile', async () => {
    const sent = await h.inbound({ from: 'lea', text: 'Is the café open on Sunday?' })
    await ws.settle()
    const message = await stored(sent.mid)
    expect(message).toMatchObject({ direction: 'inbound', kind: 'text', text: 'Is the café open on Sunday?', createdAt: sent.timestamp, attachments: null })
    const conversation = await ws.store.conversations.get(message.conversationId)
    expect(conversation).toMatchObject({
      integrationId: 'integration-nordlicht', igAccountId: NORDLICHT_IG, customerIgsid: sent.igsid, queueId: 'default:integration-nordlicht',
      assignedAgentId: 'local', unreadCount: 1, lastCustomerMessageAt: sent.timestamp,
    })
    expect(await ws.store.participants.get(NORDLICHT_IG, sent.igsid)).toMatchObject({ name: 'Lea Hoffmann', username: 'lea.hoffmann', profilePicUrl: expect.stringContaining('http') })
    expect(ws.changes).toEqual([
      { conversationId: message.conversationId, mid: sent.mid, kind: 'message' },
      { conversationId: message.conversationId, mid: null, kind: 'profile' },
    ])
  })

  it('image, share, reel, ephemeral and unsupported attachments each get their kind', async () => {
    const image = await h.inbound({ from: 'tomas', attachment: { type: 'image' }, text: 'this one' })
    const post = await h.inbound({ from: 'tomas', attachment: { type: 'ig_post' } })
    const reel = await h.inbound({ from: 'tomas', attachment: { type: 'ig_reel' } })
    const ephemeral = await h.inbound({ from: 'tomas', attachment: { type: 'ephemeral' } })
    const unsupported = await h.inbound({ from: 'tomas', attachment: { type: 'unsupported_type' } })
    await ws.settle()
    expect(await stored(image.mid)).toMatchObject({ kind: 'attachment', text: 'this one', attachments: [{ type: 'image', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/cdn\//) }] })
    expect(await stored(post.mid)).toMatchObject({ kind: 'share', attachments: [{ type: 'ig_post' }] })
    expect(await stored(reel.mid)).toMatchObject({ kind: 'share', attachments: [{ type: 'ig_reel' }] })
    expect(await stored(ephemeral.mid)).toMatchObject({ kind: 'ephemeral', attachments: [{ type: 'ephemeral', url: null }] })
    expect(await stored(unsupported.mid)).toMatchObject({ kind: 'unsupported', text: null, attachments: null })
  })

  it('a story mention is stored as the fact only: its media URL is nowhere in the database files (A5)', async () => {
    const sent = await h.inbound({ from: 'aylin', story_mention: true })
    await ws.settle()
    expect(await stored(sent.mid)).toMatchObject({ kind: 'story_mention', text: null, attachments: null, storyId: null })
    const [delivery] = await h.deliveries()
    const url = (JSON.parse(delivery!.body) as { entry: { messaging: { message: { attachments: { payload: { url: string } }[] } }[] }[] }).entry[0]!.messaging[0]!.message.attachments[0]!.payload.url
    expect(url).toContain('/cdn/')
    const bytes = storeBytes(ws.store)
    expect(bytes).not.toContain(url)
    expect(bytes).not.toContain(new URL(url).search.slice(1))
  })

  it('a story reply keeps its text and the story’s id, never its URL; an inline reply names the quoted mid', async () => {
    const story = await h.inbound({ from: 'felix', text: 'love this!', reply_to: { story: true } })
    await ws.settle()
    const storyUrl = (JSON.parse((await h.deliveries())[0]!.body) as { entry: { messaging: { message: { reply_to: { story: { url: string } } } }[] }[] })
      .entry[0]!.messaging[0]!.message.reply_to.story.url
    const first = await h.inbound({ from: 'felix', text: 'Do you ship to Vienna?' })
    const quote = await h.inbound({ from: 'felix', text: 'and to Graz?', reply_to: first.mid })
    await ws.settle()
    const reply = await stored(story.mid)
    expect(reply).toMatchObject({ kind: 'story_reply', text: 'love this!', storyId: expect.stringMatching(/^1789\d{13}$/), attachments: null })
    expect(storyUrl).toContain('/cdn/')
    expect(storeBytes(ws.store)).not.toContain(new URL(storyUrl).search.slice(1))
    expect(await stored(quote.mid)).toMatchObject({ kind: 'text', replyToMid: first.mid })
  })

  it('the business answering from the Instagram app arrives as an echo, without counting as unread (A7)', async () => {
    const question = await h.inbound({ from: 'lea', text: 'Open on Sunday?' })
    const echo = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'Yes, 9 to 5!' })
    await ws.settle()
    const stored2 = await stored(echo.mid)
    expect(stored2).toMatchObject({ direction: 'echo', kind: 'text', text: 'Yes, 9 to 5!' })
    const conversation = await ws.store.conversations.get(stored2.conversationId)
    expect(conversation).toMatchObject({ unreadCount: 1, lastCustomerMessageAt: (await stored(question.mid)).createdAt })
  })

  it('Parley’s own reply and its echo are one message, whichever is stored first (A7)', async () => {
    const question = await h.inbound({ from: 'tomas', text: 'Still there?' })
    await ws.settle()
    const conversationId = (await stored(question.mid)).conversationId
    await h.advance(1000)

    // Reply stored as sent before its echo arrives.
    const first = await ws.store.outbox.enqueue({ id: randomUUID(), conversationId, text: 'Yes!' })
    await ws.store.outbox.claim(first.item.id, { messagingType: 'RESPONSE' })
    const release = ws.hold()
    const sent = await h.graph.send(h.pageToken, { recipientId: question.igsid, text: 'Yes!', messagingType: 'RESPONSE' })
    await ws.store.outbox.markSent(first.item.id, sent.messageId)
    release()
    await ws.settle()
    expect(await stored(sent.messageId)).toMatchObject({ direction: 'outbound', text: 'Yes!' })

    // Echo first, then the outbox records the send.
    await h.advance(1000)
    const second = await ws.store.outbox.enqueue({ id: randomUUID(), conversationId, text: 'Anything else?' })
    await ws.store.outbox.claim(second.item.id, { messagingType: 'RESPONSE' })
    const sent2 = await h.graph.send(h.pageToken, { recipientId: question.igsid, text: 'Anything else?', messagingType: 'RESPONSE' })
    await ws.settle()
    expect(await stored(sent2.messageId)).toMatchObject({ direction: 'echo', text: 'Anything else?' })
    await ws.store.outbox.markSent(second.item.id, sent2.messageId)
    // The store adopts the echo as Parley's own reply: still one row.
    expect(await stored(sent2.messageId)).toMatchObject({ direction: 'outbound', text: 'Anything else?' })
    expect(await ws.store.outbox.get(second.item.id)).toMatchObject({ state: 'sent', sentMid: sent2.messageId })

    const thread = await ws.store.messages.page(conversationId, { limit: 50 })
    expect(thread.map((m) => m.text)).toEqual(['Anything else?', 'Yes!', 'Still there?'])
  })
})

describe('updates by webhook', () => {
  it('an unsend erases the content: gone from the database files, the placeholder stays (A6)', async () => {
    const secret = `my address is Hafenstraße ${randomUUID().slice(0, 8)}`
    const sent = await h.inbound({ from: 'jana', text: secret })
    await ws.settle()
    expect(storeBytes(ws.store)).toContain(secret.slice(0, 12))
    await h.control('POST', 'unsend', { mid: sent.mid })
    await ws.settle()
    expect(await stored(sent.mid)).toMatchObject({ text: null, withdrawnAt: expect.any(Number) })
    expect(storeBytes(ws.store)).not.toContain(secret.slice(-8))
    expect(ws.changes.at(-1)).toMatchObject({ mid: sent.mid, kind: 'withdrawn' })
  })

  it('reactions and un-reactions land on the message (A8)', async () => {
    const sent = await h.inbound({ from: 'lea', text: 'Thanks!' })
    const reply = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'You are welcome' })
    await h.control('POST', 'react', { mid: reply.mid, reaction: 'love' })
    await ws.settle()
    expect((await stored(reply.mid)).reaction).toMatchObject({ reaction: 'love', emoji: '\u2764\ufe0f' })
    await h.control('POST', 'react', { mid: reply.mid, reaction: null })
    await ws.settle()
    expect((await stored(reply.mid)).reaction).toBeNull()
    expect(ws.changes.filter((c) => c.kind === 'reaction').map((c) => c.mid)).toEqual([reply.mid, reply.mid])
    expect((await stored(sent.mid)).reaction).toBeNull()
  })

  it('seen marks the business’s messages up to the one named (A8)', async () => {
    await h.inbound({ from: 'lea', text: 'Hi' })
    const a = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'one' })
    await h.advance(1000)
    const b = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'two' })
    await h.advance(1000)
    const c = await h.control<{ mid: string }>('POST', 'business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'three' })
    await h.control('POST', 'seen', { mid: b.mid })
    await ws.settle()
    expect((await stored(a.mid)).seenAt).not.toBeNull()
    expect((await stored(b.mid)).seenAt).not.toBeNull()
    expect((await stored(c.mid)).seenAt).toBeNull()
  })
})

describe('repeats', () => {
  it('a replayed payload changes nothing: no second row, no unread bump, an ended thread stays ended', async () => {
    const sent = await h.inbound({ from: 'lea', text: 'only once' })
    await ws.settle()
    const message = await stored(sent.mid)
    await ws.store.conversations.setState(message.conversationId, 'ended')
    const before = await ws.store.conversations.get(message.conversationId)
    await h.control('POST', 'webhooks/replay', { payload: JSON.parse((await h.deliveries())[0]!.body) })
    await ws.settle()
    expect((await h.deliveries()).at(-1)!.attempts.map((a) => a.status)).toEqual([200])
    expect(await ws.store.conversations.get(message.conversationId)).toEqual(before)
    expect(await stored(sent.mid)).toEqual(message)
    expect(ws.changes.filter((c) => c.kind === 'message')).toHaveLength(1)
  })
})

describe('routing and switches', () => {
  it('drops events for an Instagram account no integration uses, without an error', async () => {
    await h.graph.subscribeApp('108472910384757', h.pageTokens['108472910384757']!, ['messages'])
    const other = await h.control<{ mid: string }>('POST', 'inbound', { to: 'hafenblick.hotel', from: 'felix', text: 'not for Nordlicht' })
    await ws.settle()
    expect(await ws.store.messages.get(other.mid)).toBeNull()
    expect((await h.deliveries()).at(-1)!.attempts.map((a) => a.status)).toEqual([200])
    expect(ws.logLines.some((l) => l.includes('no integration uses were dropped') && l.includes('17841401234567802'))).toBe(true)
  })

  it('S9: story mentions off drops them; story replies off keeps the words without the story', async () => {
    h.target.storyMentions = false
    h.target.storyReplies = false
    const mention = await h.inbound({ from: 'lea', story_mention: true })
    const reply = await h.inbound({ from: 'lea', text: 'nice view', reply_to: { story: true } })
    await ws.settle()
    expect(await ws.store.messages.get(mention.mid)).toBeNull()
    expect(await stored(reply.mid)).toMatchObject({ kind: 'text', text: 'nice view', storyId: null })
  })

  it('reads standby events like messaging ones', async () => {
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: NORDLICHT_IG, time: h.now(), standby: [
      { sender: { id: '6430532616864956' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid: 'm-standby', text: 'while another app owns the thread' } },
    ] }] })
    const response = await fetch(ws.server.url, { method: 'POST', headers: { 'x-hub-signature-256': signBody(body, h.sandbox.appSecret) }, body })
    expect(response.status).toBe(200)
    expect(await stored('m-standby')).toMatchObject({ direction: 'inbound', text: 'while another app owns the thread' })
  })
})

