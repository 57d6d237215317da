// Webhooks: subscription with hub.challenge, delivery rules, signatures, retries, and payloads that
// match meta-platform.md §5 field for field.
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, subscribeWebhooks, WebhookReceiver, type Connected, type Harness } from './helpers.ts'

let h: Harness
let connected: Connected
let receiver: WebhookReceiver
beforeEach(async () => {
  h = await startHarness({ enforceRateLimits: false })
  connected = await connect(h)
  receiver = await new WebhookReceiver().start()
})
afterEach(async () => {
  await h.close()
  await receiver.close()
})

const igsid = (customer: string, igId = ids.nordlichtIg) => h.state.customers.find((c) => c.id === customer)?.igsids[igId] ?? ''
const pageToken = () => connected.pageTokens[ids.nordlichtPage] ?? ''
const deliveries = async () => (await h.control<{ data: { state: string; attempts: { status?: number; error?: string }[]; field: string }[] }>('GET', 'webhooks')).body.data

/** The structure of a JSON value: keys (recursively) and value types, ignoring the values themselves. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [shapeOf(value[0])]
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]))
  }
  return typeof value
}

// meta-platform.md §5, verbatim.
const doc = {
  envelope: { object: 'instagram', entry: [{ id: '17841400000000001', time: 1760000000123, messaging: [
    { sender: { id: '6543210987654321' }, recipient: { id: '17841400000000001' }, timestamp: 1760000000000, message: { mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZQ', text: 'hi' } }] }] },
  attachment: { mid: 'm1', attachments: [{ type: 'image', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x' } }] },
  storyMention: { mid: 'm2', attachments: [{ type: 'story_mention', payload: { url: '<CDN_URL>' } }] },
  storyReply: { mid: 'm3', text: 'nice', reply_to: { story: { url: '<CDN_URL>', id: '17890000000000000' } } },
  inlineReply: { mid: 'm4', text: 'yes', reply_to: { mid: 'm1' } },
  quickReply: { mid: 'm5', text: 'Red', quick_reply: { payload: 'COLOR_RED' } },
  unsend: { mid: 'm1', is_deleted: true },
  echo: { sender: { id: '<IGID>' }, recipient: { id: '<IGSID>' }, timestamp: 1760000000000, message: { mid: 'm7', text: 'reply', is_echo: true } },
  reaction: { sender: { id: '<IGSID>' }, recipient: { id: '<IGID>' }, timestamp: 1760000000000, reaction: { mid: 'm7', action: 'react', reaction: 'love', emoji: '\u2764\ufe0f' } },
  unreact: { mid: 'm7', action: 'unreact' },
  seen: { sender: { id: '<IGSID>' }, recipient: { id: '<IGID>' }, timestamp: 1760000000000, read: { mid: 'm7' } },
  ephemeral: { mid: 'm9', attachments: [{ type: 'ephemeral' }] },
}

async function nextEvent(): Promise<Record<string, unknown>> {
  await receiver.waitFor(receiver.received.length + 1)
  return receiver.last().json.entry[0]?.messaging[0] as Record<string, unknown>
}

describe('subscription', () => {
  it('verifies the callback with a hub.challenge GET and needs an app token', async () => {
    const appToken = `${h.state.app.id}|${h.state.app.secret}`
    const wrongToken = await h.graph('POST', `/${h.state.app.id}/subscriptions`, { object: 'instagram', callback_url: receiver.url, verify_token: 'wrong', fields: 'messages', access_token: appToken })
    expect(wrongToken.body).toMatchObject({ error: { code: 2200 } })
    const unreachable = await h.graph('POST', `/${h.state.app.id}/subscriptions`, { object: 'instagram', callback_url: 'http://127.0.0.1:1/hook', verify_token: 'x', fields: 'messages', access_token: appToken })
    expect(unreachable.body).toMatchObject({ error: { code: 2200 } })
    const userToken = await h.graph('POST', `/${h.state.app.id}/subscriptions`, { object: 'instagram', callback_url: receiver.url, verify_token: receiver.verifyToken, fields: 'messages', access_token: connected.longLivedToken })
    expect(userToken.body).toMatchObject({ error: { code: 15 } })
    const ok = await h.graph('POST', `/v25.0/${h.state.app.id}/subscriptions`, { object: 'instagram', callback_url: receiver.url, verify_token: receiver.verifyToken, fields: 'messages,messaging_seen', access_token: appToken })
    expect(ok.body).toEqual({ success: true })
    const list = await h.graph('GET', `/v25.0/${h.state.app.id}/subscriptions`, { access_token: appToken })
    expect(list.body).toEqual({ data: [{ object: 'instagram', callback_url: receiver.url, active: true, fields: [{ name: 'messages', version: 'v25.0' }, { name: 'messaging_seen', version: 'v25.0' }] }] })
  })

  it('delivers only when the app is subscribed and the page has the app in subscribed_apps', async () => {
    const appToken = `${h.state.app.id}|${h.state.app.secret}`
    const before = await h.control<{ webhook: boolean }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'one' })
    expect(before.body.webhook).toBe(false)
    await h.graph('POST', `/${h.state.app.id}/subscriptions`, { object: 'instagram', callback_url: receiver.url, verify_token: receiver.verifyToken, fields: 'messages', access_token: appToken })
    const appOnly = await h.control<{ webhook: boolean }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'two' })
    expect(appOnly.body.webhook).toBe(false)
    await h.graph('POST', `/${ids.nordlichtPage}/subscribed_apps`, { subscribed_fields: 'messages', access_token: pageToken() })
    const both = await h.control<{ webhook: boolean }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'three' })
    expect(both.body.webhook).toBe(true)
    const other = await h.control<{ webhook: boolean }>('POST', 'inbound', { to: ids.hafenblickIg, from: 'jana', text: 'not subscribed' })
    expect(other.body.webhook).toBe(false)
    await receiver.waitFor(1)
    expect(receiver.received.map((event) => (event.json.entry[0]?.messaging[0]?.message as { text: string }).text)).toEqual(['three'])
    expect((await deliveries())).toHaveLength(1)
  })
})

describe('delivery', () => {
  beforeEach(async () => {
    await subscribeWebhooks(h, receiver, connected, [ids.nordlichtPage])
  })

  it('signs the exact bytes with X-Hub-Signature-256 (HMAC-SHA256, app secret)', async () => {
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'Grüße – mit Umlaut' })
    await receiver.waitFor(1)
    const { rawBody, headers } = receiver.last()
    const expected = 'sha256=' + createHmac('sha256', h.state.app.secret).update(rawBody).digest('hex')
    expect(headers['x-hub-signature-256']).toBe(expected)
    const wrongSecret = 'sha256=' + createHmac('sha256', 'not-the-secret').update(rawBody).digest('hex')
    expect(headers['x-hub-signature-256']).not.toBe(wrongSecret)
    // Meta escapes non-ASCII and slashes: re-serialising the parsed JSON would not match the signature.
    expect(rawBody).toContain('Gr\\u00fc\\u00dfe \\u2013 mit Umlaut')
    expect(JSON.stringify(JSON.parse(rawBody))).not.toBe(rawBody)
    expect(headers['content-type']).toBe('application/json')
  })

  it('retries with backoff while the receiver fails, keeping order', async () => {
    receiver.failuresLeft = 2
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'first' })
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'second' })
    await receiver.waitFor(2)
    expect(receiver.received.map((event) => (event.json.entry[0]?.messaging[0]?.message as { text: string }).text)).toEqual(['first', 'second'])
    const [first, second] = await deliveries()
    expect(first?.attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200])
    expect(first?.state).toBe('delivered')
    expect(second?.attempts.map((attempt) => attempt.status)).toEqual([200])
  })

  it('gives up after maxAttempts when the receiver is unreachable', async () => {
    await receiver.close()
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'lost' })
    let list = await deliveries()
    for (let i = 0; i < 200 && list[0]?.state === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      list = await deliveries()
    }
    expect(list[0]?.state).toBe('failed')
    expect(list[0]?.attempts).toHaveLength(4)
    expect(list[0]?.attempts[0]?.error).toBeDefined()
  })

  describe('payloads match meta-platform.md §5', () => {
    it('text message: envelope, entry id = IG account, epoch-ms times', async () => {
      const result = await h.control<{ mid: string; timestamp: number }>('POST', 'inbound', { to: ids.nordlichtPage, from: '@lea.hoffmann', text: 'hi' })
      await receiver.waitFor(1)
      const body = receiver.last().json
      expect(shapeOf(body)).toEqual(shapeOf(doc.envelope))
      expect(Object.keys(body)).toEqual(Object.keys(doc.envelope))
      expect(Object.keys(body.entry[0] ?? {})).toEqual(['id', 'time', 'messaging'])
      expect(Object.keys(body.entry[0]?.messaging[0] ?? {})).toEqual(['sender', 'recipient', 'timestamp', 'message'])
      expect(body.entry[0]).toMatchObject({ id: ids.nordlichtIg, messaging: [{ sender: { id: igsid('lea') }, recipient: { id: ids.nordlichtIg }, timestamp: result.body.timestamp, message: { mid: result.body.mid, text: 'hi' } }] })
      expect(String(body.entry[0]?.time)).toMatch(/^\d{13}$/)
    })

    it('attachment, story mention, story reply, inline reply, quick reply, ephemeral', async () => {
      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', attachment: { type: 'image' } })
      const attachment = (await nextEvent()).message as { attachments: { payload: { url: string } }[] }
      expect(shapeOf(attachment)).toEqual(shapeOf(doc.attachment))
      expect((await fetch(attachment.attachments[0]?.payload.url ?? '')).status).toBe(200)

      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', story_mention: true })
      const mention = (await nextEvent()).message as { attachments: { type: string }[] }
      expect(shapeOf(mention)).toEqual(shapeOf(doc.storyMention))
      expect(mention.attachments[0]?.type).toBe('story_mention')

      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'nice', reply_to: { story: true } })
      expect(shapeOf((await nextEvent()).message)).toEqual(shapeOf(doc.storyReply))

      const quoted = await h.control<{ mid: string }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'Which one?' })
      await nextEvent()
      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'yes', reply_to: { mid: quoted.body.mid } })
      const inline = (await nextEvent()).message
      expect(shapeOf(inline)).toEqual(shapeOf(doc.inlineReply))
      expect(inline).toMatchObject({ reply_to: { mid: quoted.body.mid } })

      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'Red', quick_reply: 'COLOR_RED' })
      const quick = (await nextEvent()).message
      expect(shapeOf(quick)).toEqual(shapeOf(doc.quickReply))
      expect(quick).toMatchObject({ text: 'Red', quick_reply: { payload: 'COLOR_RED' } })

      await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', attachment: { type: 'ephemeral' } })
      expect(shapeOf((await nextEvent()).message)).toEqual(shapeOf(doc.ephemeral))
    })

    it('unsend: is_deleted, and the content is gone from the API', async () => {
      const sent = await h.control<{ mid: string }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'oops, wrong chat' })
      await nextEvent()
      await h.control('POST', 'unsend', { mid: sent.body.mid })
      const event = await nextEvent()
      expect(shapeOf(event.message)).toEqual(shapeOf(doc.unsend))
      expect(event).toMatchObject({ sender: { id: igsid('lea') }, message: { mid: sent.body.mid, is_deleted: true } })
      const read = await h.graph('GET', `/${sent.body.mid}`, { fields: 'message', access_token: pageToken() })
      expect(read.body).toMatchObject({ error: { code: 100 } })
    })

    it('echoes what the business sends, from the Send API and from the Instagram app', async () => {
      await h.graph('POST', '/me/messages', { recipient: { id: igsid('lea') }, message: { text: 'reply' }, access_token: pageToken() }, 'json')
      const echo = await nextEvent()
      expect(shapeOf(echo)).toEqual(shapeOf(doc.echo))
      expect(Object.keys(echo.message as object)).toEqual(['mid', 'text', 'is_echo'])
      expect(echo).toMatchObject({ sender: { id: ids.nordlichtIg }, recipient: { id: igsid('lea') }, message: { text: 'reply', is_echo: true } })
      expect(receiver.last().json.entry[0]?.id).toBe(ids.nordlichtIg)

      const fromApp = await h.control<{ mid: string }>('POST', 'business-send', { from: ids.nordlichtIg, to: 'lea', text: 'sent from the Instagram app' })
      const appEcho = await nextEvent()
      expect(shapeOf(appEcho)).toEqual(shapeOf(doc.echo))
      expect(appEcho).toMatchObject({ sender: { id: ids.nordlichtIg }, message: { mid: fromApp.body.mid, text: 'sent from the Instagram app', is_echo: true } })
      const stored = await h.graph('GET', `/${fromApp.body.mid}`, { fields: 'message,from', access_token: pageToken() })
      expect(stored.body).toMatchObject({ message: 'sent from the Instagram app', from: { id: ids.nordlichtIg } })
    })

    it('reactions, unreactions and seen', async () => {
      const business = await h.control<{ mid: string }>('POST', 'business-send', { from: ids.nordlichtIg, to: 'lea', text: 'Thanks!' })
      await nextEvent()
      await h.control('POST', 'react', { mid: business.body.mid, reaction: 'love' })
      const reaction = await nextEvent()
      expect(shapeOf(reaction)).toEqual(shapeOf(doc.reaction))
      expect(reaction).toEqual({ sender: { id: igsid('lea') }, recipient: { id: ids.nordlichtIg }, timestamp: expect.any(Number), reaction: { mid: business.body.mid, action: 'react', reaction: 'love', emoji: '\u2764\ufe0f' } })
      await h.control('POST', 'react', { mid: business.body.mid, reaction: null })
      const unreact = (await nextEvent()).reaction
      expect(shapeOf(unreact)).toEqual(shapeOf(doc.unreact))
      expect(unreact).toEqual({ mid: business.body.mid, action: 'unreact' })
      await h.control('POST', 'seen', { mid: business.body.mid })
      const seen = await nextEvent()
      expect(shapeOf(seen)).toEqual(shapeOf(doc.seen))
      expect(seen).toMatchObject({ read: { mid: business.body.mid } })
    })
  })
})

describe('story mentions', () => {
  beforeEach(async () => {
    await subscribeWebhooks(h, receiver, connected, [ids.nordlichtPage, ids.hafenblickPage])
  })

  it('from a private account the business does not follow: not delivered, and the answer says why', async () => {
    const result = await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'jana', story_mention: true })
    expect(result.body).toEqual({ mid: null, delivered: false, reason: expect.stringContaining('private') })
    expect(await deliveries()).toHaveLength(0)
    const followed = await h.control<{ delivered: boolean }>('POST', 'inbound', { to: ids.hafenblickIg, from: 'jana', story_mention: true })
    expect(followed.body.delivered).toBe(true)
    await h.control('POST', 'follow', { business: ids.nordlichtIg, customer: 'jana', follows: true })
    const nowFollowed = await h.control<{ delivered: boolean }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'jana', story_mention: true })
    expect(nowFollowed.body.delivered).toBe(true)
    await receiver.waitFor(2)
  })

  it('serves the story media for 24 h of sandbox time, then 404; a forged signature gets 403', async () => {
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', story_mention: true })
    const event = await nextEvent()
    const url = ((event.message as { attachments: { payload: { url: string } }[] }).attachments[0]?.payload.url) ?? ''
    expect((await fetch(url)).status).toBe(200)
    const forged = url.replace(/signature=[^&]+/, 'signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA')
    expect((await fetch(forged)).status).toBe(403)
    await h.control('POST', 'clock', { advance: '23h59m' })
    expect((await fetch(url)).status).toBe(200)
    await h.control('POST', 'clock', { advance: '2m' })
    expect((await fetch(url)).status).toBe(404)
  })
})

describe('webhook faults', () => {
  it('drops deliveries or loses their answers, so they are delivered again', async () => {
    await subscribeWebhooks(h, receiver, connected, [ids.nordlichtPage])
    await h.control('POST', 'faults', [
      { target: 'webhooks', path: '/**', dropAnswer: true, times: 1 },
      { target: 'webhooks', path: '/**', drop: true, times: 1 },
    ])
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'delivered twice' })
    await receiver.waitFor(2)
    const bodies = receiver.received.map((r) => (r.json.entry[0]?.messaging[0]?.message as { text?: string } | undefined)?.text)
    expect(bodies).toEqual(['delivered twice', 'delivered twice'])
    const [delivery] = await deliveries()
    expect(delivery?.state).toBe('delivered')
    expect(delivery?.attempts.map((a) => a.error ?? a.status)).toEqual([
      'answer lost (injected fault; the app answered 200)',
      'connection dropped (injected fault)',
      200,
    ])
    expect((await h.control<{ faults: unknown[] }>('GET', 'faults')).body.faults).toEqual([])
  })

  it('never touches Graph requests', async () => {
    await h.control('POST', 'faults', { target: 'webhooks', path: '/**', drop: true })
    expect((await h.graph('GET', '/v25.0/me', { access_token: connected.longLivedToken })).status).toBe(200)
  })
})
