import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Store } from '../../../src-main/core/store/index.ts'
import { conversationFor, describeStore, inbound, openTempStore, reopen } from './helpers.ts'

const T0 = 1_760_000_000_000
const MINUTE = 60_000

/** Whether the bytes appear in the database file or its WAL/shared-memory companions. */
function filesContaining(store: Store, needle: string): string[] {
  return [store.filePath, `${store.filePath}-wal`, `${store.filePath}-shm`]
    .filter((file) => existsSync(file) && readFileSync(file).includes(Buffer.from(needle, 'utf8')))
}

describeStore('storing messages once (A2)', (open) => {
  it('keeps the first delivery of a mid and reports the second as a duplicate', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    const first = await store.messages.insertIfNew(inbound('m1', c.id, T0, 'hello'))
    const again = await store.messages.insertIfNew(inbound('m1', c.id, T0, 'hello from the poller'))
    expect(first.inserted).toBe(true)
    expect(again).toMatchObject({ inserted: false, message: { mid: 'm1', text: 'hello' } })
    expect((await store.stats()).rows.messages).toBe(1)
    // Counted once: the duplicate moved no counter.
    expect(await store.conversations.get(c.id)).toMatchObject({ unreadCount: 1, lastCustomerMessageAt: T0, lastActivityAt: T0 })
  })

  it('dedupes inside and across batches, in one transaction', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await store.messages.insertIfNew(inbound('m1', c.id, T0))
    const result = await store.messages.insertMany([inbound('m1', c.id, T0), inbound('m2', c.id, T0 + MINUTE), inbound('m2', c.id, T0 + MINUTE), inbound('m3', c.id, T0 + 2 * MINUTE)])
    expect(result).toEqual({ inserted: 2, duplicates: 2 })
    expect(await store.conversations.get(c.id)).toMatchObject({ unreadCount: 3, lastCustomerMessageAt: T0 + 2 * MINUTE })
  })

  it('moves the reply window only with inbound messages, and never backwards', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1', T0)
    await store.messages.insertIfNew(inbound('late', c.id, T0 + 10 * MINUTE))
    await store.messages.insertIfNew(inbound('backfilled-older', c.id, T0 + MINUTE))
    await store.messages.insertIfNew({ mid: 'echo-1', conversationId: c.id, direction: 'echo', kind: 'text', text: 'from the app', createdAt: T0 + 20 * MINUTE })
    expect(await store.conversations.get(c.id)).toMatchObject({
      lastCustomerMessageAt: T0 + 10 * MINUTE,
      lastActivityAt: T0 + 20 * MINUTE,
      unreadCount: 2,
    })
  })

  it('keeps the story mention as its kind and mid only, and refuses to keep its URL (A5)', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await store.messages.insertIfNew({ mid: 'story-1', conversationId: c.id, direction: 'inbound', kind: 'story_mention', createdAt: T0 })
    expect(await store.messages.get('story-1')).toMatchObject({ kind: 'story_mention', text: null, attachments: null, storyId: null })
    await expect(store.messages.insertIfNew({
      mid: 'story-2', conversationId: c.id, direction: 'inbound', kind: 'attachment', createdAt: T0,
      attachments: [{ type: 'story_mention', url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=STORYCDN' }],
    })).rejects.toMatchObject({ code: 'invalid_input' })
    expect(await store.messages.get('story-2')).toBeNull()
    expect(filesContaining(store, 'STORYCDN')).toEqual([])
  })

  it('keeps quoted replies, story replies by id, attachments, reactions and seen marks (A8)', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await store.messages.insertMany([
      { mid: 'out-1', conversationId: c.id, direction: 'outbound', kind: 'text', text: 'How can we help?', createdAt: T0 },
      { mid: 'out-2', conversationId: c.id, direction: 'echo', kind: 'text', text: 'Sent from the app', createdAt: T0 + MINUTE },
      { mid: 'in-1', conversationId: c.id, direction: 'inbound', kind: 'text', text: 'yes', replyToMid: 'out-1', createdAt: T0 + 2 * MINUTE },
      { mid: 'in-2', conversationId: c.id, direction: 'inbound', kind: 'story_reply', text: 'nice', storyId: '17890000000000000', createdAt: T0 + 3 * MINUTE },
      { mid: 'in-3', conversationId: c.id, direction: 'inbound', kind: 'attachment', createdAt: T0 + 4 * MINUTE, attachments: [{ type: 'image', url: 'https://cdn.example/1.jpg', mime: 'image/jpeg', size: 1200 }] },
      { mid: 'out-3', conversationId: c.id, direction: 'outbound', kind: 'text', text: 'later', createdAt: T0 + 5 * MINUTE },
    ])
    expect(await store.messages.react('out-1', { reaction: 'love', emoji: '❤️' }, T0 + 6 * MINUTE)).toBe(true)
    expect(await store.messages.react('unknown', { reaction: 'love', emoji: null }, T0)).toBe(false)
    expect(await store.messages.markSeen('out-2', T0 + 7 * MINUTE)).toBe(2)
    expect(await store.messages.markSeen('out-2', T0 + 8 * MINUTE)).toBe(0) // already seen: the first time stays

    const byMid = Object.fromEntries((await store.messages.page(c.id, { limit: 10 })).map((m) => [m.mid, m]))
    expect(byMid['out-1']).toMatchObject({ reaction: { reaction: 'love', emoji: '❤️', at: T0 + 6 * MINUTE }, seenAt: T0 + 7 * MINUTE })
    expect(byMid['out-2']?.seenAt).toBe(T0 + 7 * MINUTE)
    expect(byMid['out-3']?.seenAt).toBeNull()
    expect(byMid['in-1']).toMatchObject({ replyToMid: 'out-1', seenAt: null })
    expect(byMid['in-2']).toMatchObject({ kind: 'story_reply', storyId: '17890000000000000' })
    expect(byMid['in-3']?.attachments).toEqual([{ type: 'image', url: 'https://cdn.example/1.jpg', mime: 'image/jpeg', size: 1200 }])

    await store.messages.react('out-1', null, T0 + 9 * MINUTE)
    expect((await store.messages.get('out-1'))?.reaction).toBeNull()
  })
})

describeStore('paging a thread', (open) => {
  it('returns newest first and continues before the last message of a page, ties broken by mid', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    const other = await conversationFor(store, 'customer-2')
    // 25 messages, pairs sharing a timestamp, plus another thread's messages that must not leak in.
    await store.messages.insertMany(Array.from({ length: 25 }, (_, i) => inbound(`m${String(i).padStart(2, '0')}`, c.id, T0 + Math.floor(i / 2) * MINUTE)))
    await store.messages.insertMany([inbound('x1', other.id, T0 + 5 * MINUTE)])
    const seen: string[] = []
    let before: { createdAt: number; mid: string } | undefined
    for (;;) {
      const page = await store.messages.page(c.id, { limit: 10, ...(before ? { before } : {}) })
      if (page.length === 0) break
      seen.push(...page.map((m) => m.mid))
      const last = page.at(-1)!
      before = { createdAt: last.createdAt, mid: last.mid }
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m${String(24 - i).padStart(2, '0')}`))
  })
})

describeStore('unsent messages (A6)', (open, engine) => {
  it('are emptied in place: no read returns their content, a placeholder stays, and a late copy arrives empty', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await store.messages.insertIfNew({
      mid: 'm-secret', conversationId: c.id, direction: 'inbound', kind: 'attachment', text: 'QUOKKA-7731',
      attachments: [{ type: 'image', url: 'https://cdn.example/QUOKKA-7731.jpg' }], replyToMid: null, createdAt: T0,
    })
    expect(await store.messages.withdraw('m-secret', T0 + 700)).toBe('withdrawn')
    expect(await store.messages.withdraw('m-secret', T0 + 800)).toBe('already_withdrawn')
    expect(await store.messages.get('m-secret')).toMatchObject({ text: null, attachments: null, replyToMid: null, withdrawnAt: T0 + 700 })
    expect(JSON.stringify(await store.messages.page(c.id, { limit: 10 }))).not.toContain('QUOKKA')
    expect(JSON.stringify(await store.conversations.list({ limit: 10 }))).not.toContain('QUOKKA')
    expect((await store.stats()).rows.withdrawnMessages).toBe(1)

    expect(await store.messages.withdraw('m-early', T0 + MINUTE)).toBe('not_yet_received')
    const { inserted, message } = await store.messages.insertIfNew(inbound('m-early', c.id, T0, 'PANGOLIN-late-copy'))
    expect(inserted).toBe(true)
    expect(message).toMatchObject({ text: null, attachments: null, withdrawnAt: T0 + MINUTE })
    if (engine === 'sqlite') expect(filesContaining(store, 'PANGOLIN-late-copy')).toEqual([])
  })
})

describe('unsent messages on a workstation (A6, SQLite)', () => {
  it('erases the text from the database, its WAL and shared memory, and keeps a withdrawn placeholder', async () => {
    const store = openTempStore()
    const c = await conversationFor(store, 'customer-1')
    const secret = 'QUOKKA-7731-my-card-number-is-4111'
    await store.messages.insertMany(Array.from({ length: 200 }, (_, i) => inbound(`filler-${i}`, c.id, T0 + i, `an ordinary message number ${i}`)))
    await store.messages.insertIfNew({
      mid: 'm-secret', conversationId: c.id, direction: 'inbound', kind: 'attachment', text: secret, createdAt: T0 + 500,
      attachments: [{ type: 'image', url: `https://cdn.example/${secret}.jpg` }], replyToMid: 'filler-3',
    })
    // Long enough to spill into overflow pages.
    const longSecret = `LONG-ECHIDNA-${'a long story about an order '.repeat(600)}-END`
    await store.messages.insertIfNew(inbound('m-long', c.id, T0 + 550, longSecret))
    await store.messages.insertIfNew(inbound('after', c.id, T0 + 600, 'a later message'))
    // The control: before the unsend the text is on disk, so the check below can fail.
    expect(filesContaining(store, secret).length).toBeGreaterThan(0)

    expect(filesContaining(store, 'LONG-ECHIDNA').length).toBeGreaterThan(0)

    expect(await store.messages.withdraw('m-secret', T0 + 700)).toBe('withdrawn')
    expect(await store.messages.withdraw('m-long', T0 + 700)).toBe('withdrawn')
    expect(filesContaining(store, secret)).toEqual([])
    expect(filesContaining(store, 'LONG-ECHIDNA')).toEqual([])
    expect(filesContaining(store, 'a long story about an order')).toEqual([])
    expect(await store.messages.get('m-secret')).toMatchObject({ mid: 'm-secret', text: null, attachments: null, replyToMid: null, withdrawnAt: T0 + 700 })
    expect((await store.messages.page(c.id, { limit: 3 })).map((m) => m.mid)).toEqual(['after', 'm-long', 'm-secret'])
    expect(await store.messages.withdraw('m-secret', T0 + 800)).toBe('already_withdrawn')

    // Still gone once closed and reopened, and the inbox preview says withdrawn.
    const file = store.filePath
    store.close()
    expect(filesContaining(store, secret)).toEqual([])
    const again = reopen(file)
    expect((await again.messages.get('m-secret'))?.text).toBeNull()
    expect((await again.stats()).rows.withdrawnMessages).toBe(2)
  })

})

describeStore('bad input', (open) => {
  it('is refused with the field named, and nothing is stored', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    await expect(store.messages.insertIfNew({ ...inbound('', c.id, T0) })).rejects.toThrow(/mid/)
    await expect(store.messages.insertIfNew({ ...inbound('m1', c.id, -5) })).rejects.toThrow(/createdAt/)
    await expect(store.messages.insertIfNew({ ...inbound('m1', c.id, T0), direction: 'sideways' as never })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.messages.insertIfNew({ ...inbound('m1', c.id, T0), extra: 1 } as never)).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.messages.insertIfNew(inbound('m1', 'no-such-conversation', T0))).rejects.toMatchObject({ code: 'not_found' })
    await expect(store.messages.page(c.id, { limit: 0 })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.messages.withdraw('m1', Number.NaN)).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await store.stats()).rows).toMatchObject({ messages: 0 })
    expect(await store.conversations.get(c.id)).toMatchObject({ unreadCount: 0 })
  })

  it('refuses a whole batch when one message is bad or points nowhere, keeping none of it', async () => {
    const store = await open()
    const c = await conversationFor(store, 'customer-1')
    const good = [inbound('b1', c.id, T0), inbound('b2', c.id, T0 + 1)]
    await expect(store.messages.insertMany([...good, { ...inbound('b3', c.id, T0 + 2), kind: 'hologram' as never }])).rejects.toThrow(/\[2\]|2\.kind/)
    await expect(store.messages.insertMany([...good, inbound('b3', 'gone', T0 + 2)])).rejects.toMatchObject({ code: 'not_found' })
    expect((await store.stats()).rows.messages).toBe(0)
    expect(await store.conversations.get(c.id)).toMatchObject({ unreadCount: 0, lastCustomerMessageAt: null })
  })
})
