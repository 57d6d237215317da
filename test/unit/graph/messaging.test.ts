import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PAGE_TOKEN, startFakeMeta, testClient, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const PAGE_ID = '134895793791914'
const IGSID = '6543210987654321'

describe('Conversations API', () => {
  it('lists Instagram conversations with the cursor to the next page', async () => {
    const { client } = testClient(meta)
    meta.on(`GET /${PAGE_ID}/conversations`, {
      json: {
        data: [{ id: 'aWdfdDoxMjM0', updated_time: '2026-06-01T11:59:00+0000' }, { id: 'aWdfdDo1Njc4', updated_time: '2026-05-30T08:00:00+0000' }],
        paging: { cursors: { before: 'QVFb', after: 'QVFa' }, next: `https://graph.facebook.com/v25.0/${PAGE_ID}/conversations?after=QVFa` },
      },
    })
    const page = await client.conversations(PAGE_ID, PAGE_TOKEN, { limit: 2 })
    expect(page).toEqual({
      items: [{ id: 'aWdfdDoxMjM0', updatedTime: '2026-06-01T11:59:00+0000' }, { id: 'aWdfdDo1Njc4', updatedTime: '2026-05-30T08:00:00+0000' }],
      nextCursor: 'QVFa',
    })
    expect(meta.requests[0]!.query).toMatchObject({ platform: 'instagram', limit: '2', fields: 'id,updated_time' })
    expect(meta.requests[0]!.query).not.toHaveProperty('user_id')
  })

  it('narrows to one customer and passes the cursor on', async () => {
    const { client } = testClient(meta)
    meta.on(`GET /${PAGE_ID}/conversations`, { json: { data: [{ id: 'aWdfdDoxMjM0' }] } })
    expect(await client.conversations(PAGE_ID, PAGE_TOKEN, { userId: IGSID, after: 'QVFa' })).toEqual({
      items: [{ id: 'aWdfdDoxMjM0', updatedTime: null }], nextCursor: null,
    })
    expect(meta.requests[0]!.query).toMatchObject({ platform: 'instagram', user_id: IGSID, after: 'QVFa' })
  })

  it('reads the messages of a conversation and one message', async () => {
    const { client } = testClient(meta)
    const m = {
      id: 'aWdGGiblWZ', created_time: '2022-07-12T19:11:07+0000',
      to: { data: [{ username: 'shop', id: '17841400000000001' }] }, from: { username: 'kitty', id: IGSID },
      message: 'Hi Kitty!', reply_to: { mid: 'aWdPrev', is_self_reply: true },
    }
    meta.on('GET /aWdfdDoxMjM0/messages', { json: { data: [m, { id: 'aWdOld', created_time: '2022-07-12T19:00:00+0000' }] } })
    meta.on('GET /aWdGGiblWZ', { json: m })
    meta.on('GET /aWdStory', { json: { story: { mention: { link: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1', id: '17890000000000000' } }, id: 'aWdStory' } })

    const page = await client.conversationMessages('aWdfdDoxMjM0', PAGE_TOKEN)
    const expected = {
      id: 'aWdGGiblWZ', createdTime: '2022-07-12T19:11:07+0000', from: { id: IGSID, username: 'kitty' },
      to: [{ id: '17841400000000001', username: 'shop' }], text: 'Hi Kitty!',
      replyTo: { mid: 'aWdPrev', isSelfReply: true, story: null }, storyMention: null, attachments: [], shares: [], reactions: [], isUnsupported: false,
    }
    expect(page.items[0]).toEqual(expected)
    expect(page.items[1]).toMatchObject({ id: 'aWdOld', text: null, from: null, to: [] })
    expect(await client.message('aWdGGiblWZ', PAGE_TOKEN)).toEqual(expected)
    expect(await client.message('aWdStory', PAGE_TOKEN, ['story', 'from'])).toMatchObject({
      storyMention: { id: '17890000000000000', link: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' },
    })
    expect(meta.requests.map((r) => r.query.fields)).toEqual(['id,created_time,from,to,message', 'id,created_time,from,to,message', 'story,from'])
  })
})

describe('message fields unverified for Instagram (shares, reactions, is_unsupported)', () => {
  it('keeps shares, reactions and is_unsupported', async () => {
    const { client } = testClient(meta)
    meta.on('GET /aWdfdDoxMjM0/messages', {
      json: {
        data: [
          {
            id: 'aWdShare', created_time: '2026-06-01T11:59:00+0000', from: { username: 'kitty', id: IGSID }, to: { data: [{ id: '17841400000000001' }] },
            message: '', shares: { data: [{ link: 'https://www.instagram.com/p/Cabc/', name: 'A post', id: 42 }] },
            reactions: { data: [{ reaction: '\u2764', users: [{ id: IGSID, username: 'kitty' }] }] },
          },
          { id: 'aWdOdd', created_time: '2026-06-01T11:58:00+0000', from: { id: IGSID }, is_unsupported: true },
        ],
      },
    })
    const page = await client.conversationMessages('aWdfdDoxMjM0', PAGE_TOKEN, { fields: ['id', 'shares', 'reactions', 'is_unsupported'] })
    expect(page.items[0]).toMatchObject({
      shares: [{ id: '42', link: 'https://www.instagram.com/p/Cabc/', name: 'A post' }],
      reactions: [{ reaction: '\u2764', users: [{ id: IGSID, username: 'kitty' }] }],
      isUnsupported: false,
    })
    expect(page.items[1]).toMatchObject({ id: 'aWdOdd', isUnsupported: true, shares: [], reactions: [] })
    expect(meta.requests[0]!.query.fields).toBe('id,shares,reactions,is_unsupported')
  })

  it('never fails a page on an odd field: the field is dropped, an unreadable entry has no id, the rest is kept', async () => {
    const { client } = testClient(meta)
    meta.on('GET /aWdfdDoxMjM0/messages', {
      json: {
        data: [
          {
            id: 'aWdA', created_time: '2026-06-01T11:59:00+0000', from: { id: IGSID }, message: 'still here',
            shares: 'not a list', reactions: { data: [{ reaction: 5 }, 'x', { reaction: 'love', users: [{ nope: 1 }, { id: IGSID }] }] },
            is_unsupported: 'yes', to: { data: [{ id: '17841400000000001' }, { username: 'no id' }] }, reply_to: 7, story: [],
          },
          { created_time: 'no id at all' },
          'not even an object',
          { id: 'aWdB', created_time: '2026-06-01T11:57:00+0000', from: { id: IGSID }, message: 'and this' },
        ],
      },
    })
    const page = await client.conversationMessages('aWdfdDoxMjM0', PAGE_TOKEN)
    expect(page.items.map((m) => m.id)).toEqual(['aWdA', '', '', 'aWdB'])
    expect(page.items[0]).toMatchObject({
      text: 'still here', shares: [], isUnsupported: false, replyTo: null, storyMention: null, to: [{ id: '17841400000000001' }],
      reactions: [{ reaction: null, users: [] }, { reaction: 'love', users: [{ id: IGSID, username: null }] }],
    })
    expect(page.items[3]!.text).toBe('and this')
  })
})

describe('Send API', () => {
  it('sends text as a standard response and returns the mid', async () => {
    const { client } = testClient(meta)
    meta.on('POST /me/messages', { json: { recipient_id: IGSID, message_id: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZQ' } })
    expect(await client.send(PAGE_TOKEN, { recipientId: IGSID, text: 'Hello', messagingType: 'RESPONSE' })).toEqual({
      recipientId: IGSID, messageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZQ',
    })
    expect(meta.requests[0]!.body).toEqual({ recipient: { id: IGSID }, message: { text: 'Hello' }, messaging_type: 'RESPONSE' })
    expect(meta.requests[0]!.headers['content-type']).toBe('application/json')
  })

  it('sends after 24 h with MESSAGE_TAG and HUMAN_AGENT, and attachments by URL', async () => {
    const { client } = testClient(meta)
    meta.on('POST /me/messages', { json: { recipient_id: IGSID, message_id: 'm2' } })
    meta.on(`POST /${PAGE_ID}/messages`, { json: { recipient_id: IGSID, message_id: 'm3' } })
    await client.send(PAGE_TOKEN, { recipientId: IGSID, text: 'Late answer', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    await client.send(PAGE_TOKEN, { recipientId: IGSID, pageId: PAGE_ID, attachment: { type: 'image', url: 'https://cdn.example/a.png' }, messagingType: 'RESPONSE' })
    expect(meta.requests[0]!.body).toEqual({ recipient: { id: IGSID }, message: { text: 'Late answer' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    expect(meta.requests[1]!.body).toEqual({
      recipient: { id: IGSID }, message: { attachment: { type: 'image', payload: { url: 'https://cdn.example/a.png' } } }, messaging_type: 'RESPONSE',
    })
  })

  it('refuses a request with both text and attachment before sending', async () => {
    const { client } = testClient(meta)
    const both = { recipientId: IGSID, text: 'x', attachment: { type: 'image', url: 'https://x/a.png' }, messagingType: 'RESPONSE' }
    await expect(client.send(PAGE_TOKEN, both as never)).rejects.toThrow(TypeError)
    expect(meta.requests).toHaveLength(0)
  })

  it('sends sender actions: seen, typing, react', async () => {
    const { client } = testClient(meta)
    meta.on('POST /me/messages', { json: { recipient_id: IGSID } })
    await client.senderAction(PAGE_TOKEN, { recipientId: IGSID, action: 'mark_seen' })
    await client.senderAction(PAGE_TOKEN, { recipientId: IGSID, action: 'typing_on' })
    await client.senderAction(PAGE_TOKEN, { recipientId: IGSID, action: 'react', messageId: 'm7', reaction: 'love' })
    await client.senderAction(PAGE_TOKEN, { recipientId: IGSID, action: 'unreact', messageId: 'm7' })
    expect(meta.requests.map((r) => r.body)).toEqual([
      { recipient: { id: IGSID }, sender_action: 'mark_seen' },
      { recipient: { id: IGSID }, sender_action: 'typing_on' },
      { recipient: { id: IGSID }, sender_action: 'react', payload: { message_id: 'm7', reaction: 'love' } },
      { recipient: { id: IGSID }, sender_action: 'unreact', payload: { message_id: 'm7' } },
    ])
  })
})

describe('User Profile API', () => {
  it('reads the profile fields, with name and picture allowed to be null', async () => {
    const { client } = testClient(meta)
    meta.on(`GET /${IGSID}`, {
      json: {
        name: null, username: 'kitty', profile_pic: null, follower_count: 1234, is_user_follow_business: true,
        is_business_follow_user: false, is_verified_user: false, id: IGSID,
      },
    })
    expect(await client.userProfile(IGSID, PAGE_TOKEN)).toEqual({
      id: IGSID, name: null, username: 'kitty', profilePic: null, followerCount: 1234, isUserFollowBusiness: true,
      isBusinessFollowUser: false, isVerifiedUser: false,
    })
    expect(meta.requests[0]!.query.fields).toBe('name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user')
  })
})
