// Conversations API, Send API with its windows and caps, User Profile API — over real HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, type Connected, type Harness } from './helpers.ts'

let h: Harness
let connected: Connected
let token: string
beforeEach(async () => {
  // Rate limits have their own tests (limits.test.ts); here they would only slow the reads down.
  h = await startHarness({ enforceRateLimits: false })
  connected = await connect(h)
  token = connected.pageTokens[ids.nordlichtPage] ?? ''
})
afterEach(async () => {
  await h.close()
})

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/
const igsid = (customer: string, igId = ids.nordlichtIg) => h.state.customers.find((c) => c.id === customer)?.igsids[igId] ?? ''
const inbound = async (from: string, text: string, to = ids.nordlichtIg) => (await h.control<{ mid: string; conversationId: string }>('POST', 'inbound', { to, from, text })).body
const send = (params: Record<string, unknown>, path = '/v25.0/me/messages', as: 'form' | 'json' = 'json') => h.graph('POST', path, { access_token: token, ...params }, as)

describe('Conversations API', () => {
  it('lists Instagram conversations, most recently updated first, with ISO times', async () => {
    const { status, body } = await h.graph<{ data: { id: string; updated_time: string }[] }>('GET', `/v25.0/${ids.nordlichtPage}/conversations`, { platform: 'instagram', access_token: token })
    expect(status).toBe(200)
    expect(body.data).toHaveLength(3)
    for (const conversation of body.data) expect(Object.keys(conversation)).toEqual(['id', 'updated_time'])
    for (const conversation of body.data) expect(conversation.updated_time).toMatch(ISO)
    const times = body.data.map((conversation) => Date.parse(conversation.updated_time.replace('+0000', 'Z')))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const messenger = await h.graph('GET', `/v25.0/${ids.nordlichtPage}/conversations`, { access_token: token })
    expect(messenger.body).toEqual({ data: [] })
  })

  it('filters by user_id and pages with cursors', async () => {
    const lea = await h.graph<{ data: { id: string }[] }>('GET', '/v25.0/me/conversations', { platform: 'instagram', user_id: igsid('lea'), access_token: token })
    const expected = h.state.conversations.find((c) => c.customer === 'lea' && c.instagramId === ids.nordlichtIg)?.id
    expect(lea.body.data).toEqual([{ id: expected }])
    const first = await h.graph<{ data: { id: string }[]; paging: { next: string } }>('GET', `/${ids.nordlichtPage}/conversations`, { platform: 'instagram', limit: '2', access_token: token })
    expect(first.body.data).toHaveLength(2)
    const second = await (await fetch(first.body.paging.next)).json() as { data: { id: string }[] }
    expect(second.data).toHaveLength(1)
    expect(second.data[0]?.id).not.toBe(first.body.data[0]?.id)
  })

  it('returns messages newest first, details only for the 20 most recent', async () => {
    const mids: string[] = []
    for (let i = 0; i < 22; i++) mids.push((await inbound('sofia', `message ${i}`)).mid)
    const conversationId = (await inbound('sofia', 'last')).conversationId
    const { body } = await h.graph<{ messages: { data: { id: string; created_time: string; message?: string }[] }; id: string }>('GET', `/v25.0/${conversationId}`, {
      fields: 'messages.limit(30){id,created_time,message}', access_token: token,
    })
    expect(body.id).toBe(conversationId)
    const data = body.messages.data
    expect(data).toHaveLength(23)
    expect(data[0]?.message).toBe('last')
    expect(data[19]?.message).toBe('message 3')
    expect(data[20]).toEqual({ id: mids[2], created_time: expect.stringMatching(ISO) })
    const old = await h.graph('GET', `/v25.0/${mids[0]}`, { fields: 'message', access_token: token })
    expect(old.status).toBe(400)
    expect(old.body).toMatchObject({ error: { code: 100, message: '(#100) This message has been deleted.' } })
    const recent = await h.graph('GET', `/v25.0/${mids[21]}`, { fields: 'id,created_time,from,to,message', access_token: token })
    expect(recent.body).toEqual({
      id: mids[21], created_time: expect.stringMatching(ISO), from: { username: 'sofia.rossi', id: igsid('sofia') },
      to: { data: [{ username: 'nordlicht.kaffee', id: ids.nordlichtIg }] }, message: 'message 21',
    })
  })

  it('exposes reply_to, story, reactions and participants', async () => {
    const first = await inbound('lea', 'Which beans?')
    const reply = (await h.control<{ mid: string; conversationId: string }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'these', reply_to: { mid: first.mid } })).body
    await h.control('POST', 'react', { mid: first.mid, reaction: 'love' })
    const read = await h.graph('GET', `/${reply.mid}`, { fields: 'reply_to,message', access_token: token })
    expect(read.body).toEqual({ reply_to: { mid: first.mid, is_self_reply: true }, message: 'these', id: reply.mid })
    const reactions = await h.graph('GET', `/${first.mid}`, { fields: 'reactions', access_token: token })
    expect(reactions.body).toMatchObject({ reactions: { data: [{ reaction: '\u2764\ufe0f', users: [{ username: 'lea.hoffmann', id: igsid('lea') }] }] } })
    const story = (await h.control<{ mid: string }>('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', story_mention: true })).body
    const storyRead = await h.graph<{ story: { mention: { link: string; id: string } } }>('GET', `/${story.mid}`, { fields: 'story,from', access_token: token })
    expect(storyRead.body.story.mention.link.startsWith(`${h.url}/cdn/`)).toBe(true)
    expect(storyRead.body.story.mention.id).toMatch(/^\d+$/)
    const thread = await h.graph('GET', `/${reply.conversationId}`, { fields: 'participants', access_token: token })
    expect(thread.body).toMatchObject({ participants: { data: [{ username: 'lea.hoffmann', id: igsid('lea') }, { username: 'nordlicht.kaffee', id: ids.nordlichtIg }] } })
  })

  it('needs instagram_manage_messages', async () => {
    const limited = await connect(h, [ids.hafenblickPage], 1, ['pages_show_list', 'instagram_basic', 'pages_manage_metadata'])
    const pageToken = limited.pageTokens[ids.hafenblickPage] ?? ''
    const list = await h.graph('GET', `/${ids.hafenblickPage}/conversations`, { platform: 'instagram', access_token: pageToken })
    expect(list.body).toMatchObject({ error: { code: 10 } })
    const sent = await h.graph('POST', '/me/messages', { recipient: { id: igsid('jana', ids.hafenblickIg) }, message: { text: 'hi' }, access_token: pageToken }, 'json')
    expect(sent.body).toMatchObject({ error: { code: 10 } })
  })
})

describe('Send API', () => {
  it('sends text by JSON or form, to /me/messages and /{page-id}/messages', async () => {
    const json = await send({ recipient: { id: igsid('lea') }, messaging_type: 'RESPONSE', message: { text: 'We do have decaf!' } })
    expect(json.status).toBe(200)
    expect(json.body).toEqual({ recipient_id: igsid('lea'), message_id: expect.any(String) })
    const form = await send({ recipient: { id: igsid('lea') }, message: { text: 'And oat milk.' } }, `/v25.0/${ids.nordlichtPage}/messages`, 'form')
    expect(form.body).toMatchObject({ recipient_id: igsid('lea') })
    const mid = (form.body as { message_id: string }).message_id
    const stored = await h.graph('GET', `/${mid}`, { fields: 'message,from', access_token: token })
    expect(stored.body).toMatchObject({ message: 'And oat milk.', from: { username: 'nordlicht.kaffee', id: ids.nordlichtIg } })
  })

  it('caps text at 1000 bytes (UTF-8)', async () => {
    const ok = await send({ recipient: { id: igsid('lea') }, message: { text: 'é'.repeat(500) } })
    expect(ok.status).toBe(200)
    const tooLong = await send({ recipient: { id: igsid('lea') }, message: { text: 'é'.repeat(500) + 'x' } })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body).toMatchObject({ error: { code: 100, message: '(#100) Length of param message[text] must be less than or equal to 1000' } })
    const empty = await send({ recipient: { id: igsid('lea') }, message: {} })
    expect(empty.body).toMatchObject({ error: { code: 100, error_subcode: 2018034 } })
  })

  it('refuses unknown recipients and IGSIDs of another business account', async () => {
    const unknown = await send({ recipient: { id: '6000000000000000' }, message: { text: 'hi' } })
    expect(unknown.body).toMatchObject({ error: { code: 100, error_subcode: 2018001 } })
    const otherBusiness = await send({ recipient: { id: igsid('jana', ids.hafenblickIg) }, message: { text: 'hi' } })
    expect(otherBusiness.body).toMatchObject({ error: { code: 100, error_subcode: 2018001 } })
    expect(igsid('lea', ids.hafenblickIg)).not.toBe(igsid('lea'))
  })

  describe('windows, counted from the customer\'s last message', () => {
    const attempt = async (after: string, messagingType: string, tag?: string) => {
      await h.control('POST', 'clock', { freeze: true })
      await inbound('sofia', 'hello?')
      await h.control('POST', 'clock', { advance: after })
      const result = await send({ recipient: { id: igsid('sofia') }, messaging_type: messagingType, ...(tag ? { tag } : {}), message: { text: 'reply' } })
      return result.body as { message_id?: string; error?: { code: number; error_subcode?: number } }
    }
    const outside = { error: { code: 10, error_subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' } }

    it('23 h 59 m: a standard response is allowed', async () => {
      expect(await attempt('23h59m', 'RESPONSE')).toHaveProperty('message_id')
    })
    it('24 h 1 m: a standard response is refused (10/2018278)', async () => {
      expect(await attempt('24h1m', 'RESPONSE')).toMatchObject(outside)
    })
    it('24 h 1 m: UPDATE is refused too', async () => {
      expect(await attempt('24h1m', 'UPDATE')).toMatchObject(outside)
    })
    it('24 h 1 m: HUMAN_AGENT is allowed', async () => {
      expect(await attempt('24h1m', 'MESSAGE_TAG', 'HUMAN_AGENT')).toHaveProperty('message_id')
    })
    it('6 d 23 h: HUMAN_AGENT is allowed', async () => {
      expect(await attempt('6d23h', 'MESSAGE_TAG', 'HUMAN_AGENT')).toHaveProperty('message_id')
    })
    it('7 d 1 m: even HUMAN_AGENT is refused', async () => {
      expect(await attempt('7d1m', 'MESSAGE_TAG', 'HUMAN_AGENT')).toMatchObject(outside)
    })
    it('only HUMAN_AGENT is a valid tag, and MESSAGE_TAG needs one', async () => {
      expect(await attempt('1m', 'MESSAGE_TAG', 'CONFIRMED_EVENT_UPDATE')).toMatchObject({ error: { code: 100 } })
      expect(await attempt('1m', 'MESSAGE_TAG')).toMatchObject({ error: { code: 100 } })
      expect(await attempt('1m', 'PROMOTION')).toMatchObject({ error: { code: 100 } })
    })
    it('a new customer message reopens the window', async () => {
      expect(await attempt('3d', 'RESPONSE')).toMatchObject(outside)
      expect(await attempt('1h', 'RESPONSE')).toHaveProperty('message_id')
    })
  })

  it('records every Send API request, refused ones with their error', async () => {
    await send({ recipient: { id: igsid('lea') }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'ok' } })
    await send({ recipient: { id: igsid('aylin') }, messaging_type: 'RESPONSE', message: { text: 'too late' } })
    const { body } = await h.control<{ data: Record<string, unknown>[] }>('GET', 'sent')
    expect(body.data).toHaveLength(2)
    expect(body.data[0]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', recipient: { id: igsid('lea') }, message: { text: 'ok' }, outcome: 'accepted', path: '/me/messages' })
    expect(body.data[1]).toMatchObject({ messaging_type: 'RESPONSE', outcome: 'refused', error: { code: 10, error_subcode: 2018278 } })
    expect(String(body.data[0]?.at)).toMatch(ISO)
  })

  it('answers sender actions, including reactions to a customer message', async () => {
    const mid = (await inbound('lea', 'hi')).mid
    for (const action of ['typing_on', 'typing_off', 'mark_seen']) {
      expect((await send({ recipient: { id: igsid('lea') }, sender_action: action })).body).toEqual({ recipient_id: igsid('lea') })
    }
    expect((await send({ recipient: { id: igsid('lea') }, sender_action: 'react', payload: { message_id: mid, reaction: 'love' } })).body).toEqual({ recipient_id: igsid('lea') })
    const read = await h.graph('GET', `/${mid}`, { fields: 'reactions', access_token: token })
    expect(read.body).toMatchObject({ reactions: { data: [{ users: [{ id: ids.nordlichtIg }] }] } })
    expect((await send({ recipient: { id: igsid('lea') }, sender_action: 'dance' })).body).toMatchObject({ error: { code: 100 } })
  })

  describe('attachments: Instagram types and size caps', () => {
    const media = (type: string, url: string) => send({ recipient: { id: igsid('lea') }, message: { attachment: { type, payload: { url } } } })
    it('accepts an image within 8 MB and echoes a CDN URL', async () => {
      const ok = await media('image', `${h.url}/cdn/synthetic/2048/photo.png`)
      expect(ok.status).toBe(200)
      const mid = (ok.body as { message_id: string }).message_id
      const read = await h.graph<{ attachments: { data: { image_data: { url: string } }[] } }>('GET', `/${mid}`, { fields: 'attachments', access_token: token })
      expect(read.body.attachments.data[0]?.image_data.url.startsWith(`${h.url}/cdn/ig_messaging_cdn/`)).toBe(true)
    })
    it('refuses an image over 8 MB (2018109)', async () => {
      expect((await media('image', `${h.url}/cdn/synthetic/${8 * 1024 * 1024 + 1}/big.jpg`)).body).toMatchObject({ error: { code: 100, error_subcode: 2018109 } })
    })
    it('accepts video up to 25 MB', async () => {
      expect((await media('video', `${h.url}/cdn/synthetic/${10 * 1024 * 1024}/clip.mp4`)).status).toBe(200)
    })
    it('refuses a type that does not match the content (2018047)', async () => {
      expect((await media('image', `${h.url}/cdn/synthetic/100/doc.pdf`)).body).toMatchObject({ error: { code: 100, error_subcode: 2018047 } })
      expect((await media('file', `${h.url}/cdn/synthetic/100/doc.pdf`)).status).toBe(200)
    })
    it('refuses an unreachable URL and an unknown type', async () => {
      expect((await media('image', `${h.url}/cdn/synthetic/x/none.png`)).body).toMatchObject({ error: { code: 100, error_subcode: 2018008 } })
      expect((await media('sticker', `${h.url}/cdn/synthetic/100/a.png`)).body).toMatchObject({ error: { code: 100 } })
    })
  })
})

describe('User Profile API', () => {
  it('answers profile fields once the person has messaged the business', async () => {
    const { body } = await h.graph('GET', `/v25.0/${igsid('lea')}`, {
      fields: 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user', access_token: token,
    })
    expect(body).toMatchObject({
      name: 'Lea Hoffmann', username: 'lea.hoffmann', follower_count: 412, is_user_follow_business: true, is_business_follow_user: false,
      is_verified_user: false, id: igsid('lea'),
    })
    const picture = await fetch((body as { profile_pic: string }).profile_pic)
    expect(picture.status).toBe(200)
  })

  it('refuses with 230 before the person has messaged', async () => {
    const { status, body } = await h.graph('GET', `/v25.0/${igsid('sofia')}`, { fields: 'name', access_token: token })
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { code: 230, message: '(#230) User consent is required to access user profile' } })
    await inbound('sofia', 'hi')
    expect((await h.graph('GET', `/v25.0/${igsid('sofia')}`, { fields: 'name', access_token: token })).body).toMatchObject({ name: 'Sofia Rossi' })
  })

  it('does not resolve another business\'s IGSID', async () => {
    const { body } = await h.graph('GET', `/v25.0/${igsid('jana', ids.hafenblickIg)}`, { fields: 'name', access_token: token })
    expect(body).toMatchObject({ error: { code: 100, error_subcode: 33 } })
  })
})
