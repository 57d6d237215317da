import { describe, expect, it } from 'vitest'
import { CONVERSATIONS_SCOPE } from '../../../src-main/core/store/index.ts'
import { conversationFor, describeStore, IG_ACCOUNT, inbound, INTEGRATION, openAgain, openTempStore } from './helpers.ts'

const T0 = 1_760_000_000_000

describeStore('participants (User Profile API cache)', (open) => {
  it('upserts and reads back, and a late older answer does not replace a newer one', async () => {
    const store = await open()
    const key = { igAccountId: IG_ACCOUNT, igsid: 'customer-1' }
    expect(await store.participants.get(key.igAccountId, key.igsid)).toBeNull()
    await store.participants.upsert({ ...key, name: 'Ada', username: 'ada', profilePicUrl: null, fetchedAt: T0 })
    await store.participants.upsert({ ...key, name: 'Ada L.', username: 'ada.l', profilePicUrl: 'https://cdn.example/p.jpg', fetchedAt: T0 + 10 })
    expect(await store.participants.upsert({ ...key, name: 'stale', username: 'stale', profilePicUrl: null, fetchedAt: T0 + 5 })).toEqual({
      ...key, name: 'Ada L.', username: 'ada.l', profilePicUrl: 'https://cdn.example/p.jpg', fetchedAt: T0 + 10,
    })
    await expect(store.participants.upsert({ ...key, name: 'x', username: 'x', profilePicUrl: null, fetchedAt: 'yesterday' as never })).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await store.participants.get(key.igAccountId, key.igsid))?.name).toBe('Ada L.')
  })
})

describeStore('sync cursors (A2 backfill)', (open, engine) => {
  it('keeps a cursor per integration and scope across reopening', async () => {
    const store = await open()
    expect(await store.cursors.get(INTEGRATION, CONVERSATIONS_SCOPE)).toBeNull()
    await store.cursors.set(INTEGRATION, CONVERSATIONS_SCOPE, { cursor: 'QVFIUk', syncedAt: T0 })
    await store.cursors.set(INTEGRATION, 'aWdfZAG06', { cursor: null, syncedAt: T0 + 1 })
    await store.cursors.set(INTEGRATION, CONVERSATIONS_SCOPE, { cursor: 'QVFIUl', syncedAt: T0 + 2 })
    await store.cursors.set('other-integration', CONVERSATIONS_SCOPE, { cursor: 'zzz', syncedAt: T0 })
    await expect(store.cursors.set(INTEGRATION, '', { cursor: 'x', syncedAt: T0 })).rejects.toMatchObject({ code: 'invalid_input' })
    await store.close()
    const again = await openAgain(engine, store)
    expect(await again.cursors.forIntegration(INTEGRATION)).toEqual([
      { integrationId: INTEGRATION, scope: 'aWdfZAG06', cursor: null, syncedAt: T0 + 1 },
      { integrationId: INTEGRATION, scope: CONVERSATIONS_SCOPE, cursor: 'QVFIUl', syncedAt: T0 + 2 },
    ])
  })
})

describe('stats for the diagnostic bundle', () => {
  it('counts rows and measures the files, without content', async () => {
    const store = openTempStore()
    const c = await conversationFor(store, 'customer-1')
    await store.messages.insertMany([inbound('m1', c.id, T0, 'WOMBAT-content'), inbound('m2', c.id, T0 + 1)])
    await store.outbox.enqueue({ id: 'r1', conversationId: c.id, text: 'hi' })
    const stats = await store.stats()
    expect(stats.rows).toEqual({ conversations: 1, participants: 0, messages: 2, withdrawnMessages: 0, outbox: 1, outboxUnsent: 1, syncCursors: 0 })
    expect(stats.files.database).toBeGreaterThan(0)
    expect(stats.files.wal).toBeGreaterThan(0)
    expect(stats.pages.size).toBeGreaterThan(0)
    expect(stats.pages.count).toBeGreaterThan(0)
    expect(JSON.stringify(stats)).not.toContain('WOMBAT')
  })
})
