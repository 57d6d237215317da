// Meta's shapes → domain events, without I/O: the edges the sandbox does not produce.
import { describe, expect, it } from 'vitest'
import type { MessageDetails } from '../../../../src-main/core/graph/index.ts'
import { applyStorySwitches, graphReactions, normalizeGraphMessage, normalizeWebhookPayload, type MessageEvent } from '../../../../src-main/core/inbox/inbound/index.ts'

const IG = '17841401234567801'
const CUSTOMER = '6618576110568109'
const T = 1_795_582_256_842
const entry = (...messaging: unknown[]) => ({ object: 'instagram', entry: [{ id: IG, time: T, messaging }] })
const from = (extra: Record<string, unknown>) => ({ sender: { id: CUSTOMER }, recipient: { id: IG }, timestamp: T, ...extra })
const events = (payload: unknown) => normalizeWebhookPayload(payload).entries.flatMap((e) => e.events)

describe('webhook payloads', () => {
  it('never carries a story mention’s URL into an event', () => {
    const url = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1789&signature=secret'
    const [event] = events(entry(from({ message: { mid: 'm2', attachments: [{ type: 'story_mention', payload: { url } }] } })))
    expect(event).toMatchObject({ kind: 'story_mention', text: null, attachments: null })
    expect(JSON.stringify(event)).not.toContain('lookaside')
  })

  it('reads seconds and ISO timestamps as epoch ms, and falls back to the entry time', () => {
    const got = events(entry(
      from({ timestamp: 1_795_582_256, message: { mid: 's', text: 'a' } }),
      from({ timestamp: '2026-11-25T04:45:47+0000', message: { mid: 'iso', text: 'b' } }),
      { sender: { id: CUSTOMER }, recipient: { id: IG }, message: { mid: 'none', text: 'c' } },
    ))
    expect(got.map((e) => (e as MessageEvent).createdAt)).toEqual([1_795_582_256_000, Date.parse('2026-11-25T04:45:47Z'), T])
  })

  it('tells an echo by is_echo or by the business being the sender', () => {
    const [flagged, bySender] = events(entry(
      { sender: { id: IG }, recipient: { id: CUSTOMER }, timestamp: T, message: { mid: 'e1', text: 'x', is_echo: true } },
      { sender: { id: IG }, recipient: { id: CUSTOMER }, timestamp: T, message: { mid: 'e2', text: 'y' } },
    ))
    expect(flagged).toMatchObject({ direction: 'echo', customerIgsid: CUSTOMER })
    expect(bySender).toMatchObject({ direction: 'echo', customerIgsid: CUSTOMER })
  })

  it('reads reactions, seen marks, unsends, postbacks and the dashboard’s test events; ignores the rest', () => {
    const result = normalizeWebhookPayload({
      object: 'instagram',
      entry: [{
        id: IG, time: T,
        messaging: [
          from({ reaction: { mid: 'm7', action: 'react', reaction: 'love', emoji: '\u2764\ufe0f' } }),
          from({ reaction: { mid: 'm7', action: 'unreact' } }),
          from({ read: { mid: 'm7' } }),
          from({ read: { watermark: T } }),
          from({ message: { mid: 'm1', is_deleted: true } }),
          from({ postback: { mid: 'm8', title: 'Track order', payload: 'TRACK' } }),
          from({ referral: { ref: 'summer', source: 'IGME-SOURCE-LINK', type: 'OPEN_THREAD' } }),
          from({ reaction: { mid: 'm7', action: 'explode' } }),
        ],
        changes: [{ field: 'messages', value: from({ message: { mid: 'random_mid', text: 'test' } }) }, { field: 'comments', value: {} }],
      }],
    })
    expect(result.entries[0]!.events.map((e) => [e.type, 'mid' in e ? e.mid : null])).toEqual([
      ['reaction', 'm7'], ['reaction', 'm7'], ['seen', 'm7'], ['withdraw', 'm1'], ['message', 'm8'], ['message', 'random_mid'],
    ])
    expect(result.entries[0]!.events[1]).toMatchObject({ reaction: null })
    expect(result.entries[0]!.events[4]).toMatchObject({ kind: 'postback', text: 'Track order' })
    expect(result.ignored).toBe(3) // watermark read, referral, comments change
    expect(result.problems).toEqual(['entry 0, messaging 7: reaction action is neither react nor unreact'])
  })

  it('keeps an attachment’s URL only when it is an http(s) URL', () => {
    const [event] = events(entry(from({ message: { mid: 'a', attachments: [{ type: 'image', payload: { url: 'javascript:alert(1)' } }, { type: 'file', payload: { url: 'https://cdn.example/x.pdf' } }] } })))
    expect(event).toMatchObject({ kind: 'attachment', attachments: [{ type: 'image', url: null }, { type: 'file', url: 'https://cdn.example/x.pdf' }] })
  })

  it('refuses the business account as the customer', () => {
    expect(normalizeWebhookPayload(entry({ sender: { id: IG }, recipient: { id: IG }, timestamp: T, message: { mid: 'x', text: 'loop' } })).problems)
      .toEqual(['entry 0, messaging 0: the customer side is the business account itself'])
  })
})

describe('Conversations API messages', () => {
  const details = (extra: Partial<MessageDetails>): MessageDetails => ({
    id: 'mid-1', createdTime: '2026-11-25T04:45:47+0000', from: { id: CUSTOMER, username: 'lea' }, to: [{ id: IG, username: 'nordlicht' }],
    text: 'hi', replyTo: null, storyMention: null, attachments: [], shares: [], reactions: [], isUnsupported: false, ...extra,
  })

  it('skips entries without details (older than the 20 most recent)', () => {
    expect(normalizeGraphMessage(details({ from: null, to: [], text: null }), IG)).toEqual({ skipped: 'no_details' })
  })

  it('maps Graph’s attachment data to types, and story mentions to the fact only', () => {
    const got = normalizeGraphMessage(details({
      text: '',
      attachments: [
        { image_data: { url: 'https://cdn/i.png' }, mime_type: 'image/png' },
        { file_url: 'https://cdn/a.m4a', mime_type: 'audio/mp4' },
        { video_data: { url: 'https://cdn/v.mp4' } },
      ],
    }), IG)
    expect(got).toMatchObject({ event: { kind: 'attachment', text: null, attachments: [{ type: 'image', mime: 'image/png' }, { type: 'audio' }, { type: 'video' }] } })
    const mention = normalizeGraphMessage(details({ text: '', storyMention: { id: '1789', link: 'https://cdn/story' } }), IG)
    expect(mention).toMatchObject({ event: { kind: 'story_mention', attachments: null, storyId: null } })
    expect(JSON.stringify(mention)).not.toContain('cdn/story')
  })

  it('tells the business’s own messages as echoes towards the customer', () => {
    expect(normalizeGraphMessage(details({ from: { id: IG, username: 'nordlicht' }, to: [{ id: CUSTOMER, username: 'lea' }] }), IG))
      .toMatchObject({ event: { direction: 'echo', customerIgsid: CUSTOMER } })
  })

  it('reads a shared post as the webhook’s share, and an unsupported message as unsupported, not as empty', () => {
    const share = normalizeGraphMessage(details({ text: '', shares: [{ id: null, link: 'https://www.instagram.com/p/abc/', name: null }] }), IG)
    expect(share).toMatchObject({ event: { kind: 'share', attachments: [{ type: 'share', url: 'https://www.instagram.com/p/abc/' }] } })
    // The same link already given as attachment data is not listed twice.
    const both = normalizeGraphMessage(details({
      text: '', attachments: [{ image_data: { url: 'https://cdn/p.jpg' } }], shares: [{ id: null, link: 'https://cdn/p.jpg', name: null }],
    }), IG)
    expect(both).toMatchObject({ event: { attachments: [{ type: 'image', url: 'https://cdn/p.jpg' }] } })
    expect((both as { event: MessageEvent }).event.attachments).toHaveLength(1)

    expect(normalizeGraphMessage(details({ text: '', isUnsupported: true }), IG)).toMatchObject({ event: { kind: 'unsupported', text: null } })
    // Text Meta did show is kept even when the rest is unsupported.
    expect(normalizeGraphMessage(details({ text: 'look', isUnsupported: true }), IG)).toMatchObject({ event: { kind: 'text', text: 'look' } })
  })

  it('reads the customer’s reaction, by emoji or name, and ignores the business’s own', () => {
    const customer = { id: CUSTOMER, username: 'lea' }
    const business = { id: IG, username: 'nordlicht' }
    expect(graphReactions(details({ reactions: [{ reaction: '\u2764', users: [customer] }] }), IG)).toEqual([
      { type: 'reaction', igAccountId: IG, mid: 'mid-1', reaction: { reaction: 'love', emoji: '\u2764\ufe0f' }, at: Date.parse('2026-11-25T04:45:47Z') },
    ])
    expect(graphReactions(details({ reactions: [{ reaction: 'laugh', users: [customer] }] }), IG)[0]!.reaction).toEqual({ reaction: 'laugh', emoji: '\ud83d\ude02' })
    expect(graphReactions(details({ reactions: [{ reaction: '\ud83c\udf89', users: [customer] }] }), IG)[0]!.reaction).toEqual({ reaction: 'other', emoji: '\ud83c\udf89' })
    expect(graphReactions(details({ reactions: [{ reaction: 'love', users: [business] }] }), IG)).toEqual([])
    expect(graphReactions(details({ reactions: [{ reaction: null, users: [customer] }] }), IG)).toEqual([])
    // No details (older than the 20 most recent): nothing to say.
    expect(graphReactions(details({ from: null, reactions: [{ reaction: 'love', users: [customer] }] }), IG)).toEqual([])
  })
})

describe('S9 switches', () => {
  const base: MessageEvent = {
    type: 'message', igAccountId: IG, customerIgsid: CUSTOMER, mid: 'm', direction: 'inbound', kind: 'story_reply', text: null,
    attachments: null, replyToMid: null, storyId: '1789', createdAt: T,
  }
  const on = { integrationId: 'i', pageId: 'p', storyMentions: true, storyReplies: true }
  const off = { ...on, storyMentions: false, storyReplies: false }

  it('drop mentions, keep reply text without the story, drop an empty reply', () => {
    expect(applyStorySwitches({ ...base, kind: 'story_mention', storyId: null }, off)).toBeNull()
    expect(applyStorySwitches({ ...base, text: 'nice' }, off)).toMatchObject({ kind: 'text', text: 'nice', storyId: null })
    expect(applyStorySwitches(base, off)).toBeNull()
    expect(applyStorySwitches(base, on)).toBe(base)
  })
})
