import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { inboxQuery } from '../../../src-main/core/store/conversations.ts'
import type { ConversationListOptions, InboundConversation, NewMessage } from '../../../src-main/core/store/index.ts'
import { AGENT, conversationFor, describeStore, IG_ACCOUNT, inbound, INTEGRATION, openTempStore, QUEUE } from './helpers.ts'

const T0 = 1_760_000_000_000
const MINUTE = 60_000

describeStore('the inbox (A1)', (open) => {
  it('lists newest activity first with unread counts, the customer and the last message', async () => {
    const store = await open()
    const a = await conversationFor(store, 'customer-a', T0)
    const b = await conversationFor(store, 'customer-b', T0)
    const c = await conversationFor(store, 'customer-c', T0)
    await store.messages.insertMany([
      inbound('a1', a.id, T0 + 1 * MINUTE), inbound('a2', a.id, T0 + 5 * MINUTE),
      inbound('b1', b.id, T0 + 3 * MINUTE),
      inbound('c1', c.id, T0 + 2 * MINUTE),
    ])
    await store.messages.insertIfNew({ mid: 'c2', conversationId: c.id, direction: 'outbound', kind: 'text', text: 'On it!', createdAt: T0 + 9 * MINUTE })
    await store.participants.upsert({ igAccountId: IG_ACCOUNT, igsid: 'customer-a', name: 'Ada Lovelace', username: 'ada', profilePicUrl: 'https://cdn.example/ada.jpg', fetchedAt: T0 })

    const rows = await store.conversations.list({ agentId: AGENT, limit: 10 })
    expect(rows.map((r) => [r.customerIgsid, r.unreadCount])).toEqual([['customer-c', 1], ['customer-a', 2], ['customer-b', 1]])
    expect(rows[0]).toMatchObject({ lastActivityAt: T0 + 9 * MINUTE, lastCustomerMessageAt: T0 + 2 * MINUTE, customer: null, lastMessage: { mid: 'c2', direction: 'outbound', text: 'On it!', withdrawn: false } })
    expect(rows[1]).toMatchObject({ customer: { name: 'Ada Lovelace', username: 'ada', profilePicUrl: 'https://cdn.example/ada.jpg' }, lastMessage: { mid: 'a2' } })

    expect(await store.conversations.markRead(a.id)).toBe(true)
    expect(await store.conversations.markRead('nope')).toBe(false)
    expect((await store.conversations.get(a.id))?.unreadCount).toBe(0)
    await store.messages.insertIfNew(inbound('b2', b.id, T0 + 10 * MINUTE))
    expect((await store.conversations.list({ limit: 1 }))[0]).toMatchObject({ id: b.id, unreadCount: 2 })

    await store.messages.withdraw('b2', T0 + 11 * MINUTE)
    expect((await store.conversations.list({ limit: 1 }))[0]?.lastMessage).toMatchObject({ mid: 'b2', text: null, withdrawn: true })
  })

  it('pages by keyset and by offset, filters by agent, unassigned and state, and counts', async () => {
    const store = await open()
    const inputs: InboundConversation[] = Array.from({ length: 30 }, (_, i) => ({
      integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: `customer-${i}`, queueId: QUEUE,
      // Every third waits unassigned; activity ties on purpose (ids break them).
      assignedAgentId: i % 3 === 0 ? null : AGENT, at: T0 + Math.floor(i / 2) * MINUTE,
    }))
    const created = await store.conversations.upsertManyForInbound(inputs)
    expect(created.every((r) => r.created)).toBe(true)
    await store.conversations.setState(created[29]!.conversation.id, 'ended')

    const all: string[] = []
    let after: ConversationListOptions['after']
    for (;;) {
      const page = await store.conversations.list({ limit: 7, ...(after ? { after } : {}) })
      if (page.length === 0) break
      all.push(...page.map((r) => r.id))
      after = { lastActivityAt: page.at(-1)!.lastActivityAt, id: page.at(-1)!.id }
    }
    const expected = created.map((r) => r.conversation)
      .sort((x, y) => y.lastActivityAt - x.lastActivityAt || (y.id < x.id ? -1 : 1)).map((x) => x.id)
    expect(all).toEqual(expected)
    expect((await store.conversations.list({ limit: 5, offset: 10 })).map((r) => r.id)).toEqual(expected.slice(10, 15))

    expect(await store.conversations.count()).toBe(30)
    expect(await store.conversations.count({ agentId: null })).toBe(10)
    expect(await store.conversations.count({ agentId: AGENT, state: 'open' })).toBe(19)
    expect((await store.conversations.list({ agentId: null, limit: 50 })).every((r) => r.assignedAgentId === null)).toBe(true)
    expect((await store.conversations.list({ state: 'ended', limit: 50 })).map((r) => r.id)).toEqual([created[29]!.conversation.id])
  })

  it('finds the same thread again, reopens an ended one and moves it to a recreated integration', async () => {
    const store = await open()
    const first = await store.conversations.upsertForInbound({ integrationId: 'old', igAccountId: IG_ACCOUNT, customerIgsid: 'c1', queueId: QUEUE, assignedAgentId: AGENT, at: T0 })
    expect(first).toMatchObject({ created: true, reopened: false, conversation: { state: 'open', queueId: QUEUE, assignedAgentId: AGENT, lastActivityAt: T0, unreadCount: 0 } })
    const same = await store.conversations.upsertForInbound({ integrationId: 'old', igAccountId: IG_ACCOUNT, customerIgsid: 'c1', queueId: 'other-queue', assignedAgentId: null, at: T0 + 1 })
    expect(same).toMatchObject({ created: false, reopened: false, conversation: { id: first.conversation.id, queueId: QUEUE, assignedAgentId: AGENT } })
    await store.conversations.setState(first.conversation.id, 'ended')
    const back = await store.conversations.upsertForInbound({ integrationId: 'recreated', igAccountId: IG_ACCOUNT, customerIgsid: 'c1', queueId: QUEUE, assignedAgentId: AGENT, at: T0 + 2 })
    expect(back).toMatchObject({ created: false, reopened: true, conversation: { id: first.conversation.id, state: 'open', integrationId: 'recreated' } })

    const moved = await store.conversations.assign(first.conversation.id, { queueId: 'vip', agentId: null })
    expect(moved).toMatchObject({ queueId: 'vip', assignedAgentId: null })
    await expect(store.conversations.assign('nope', { queueId: 'vip', agentId: null })).rejects.toMatchObject({ code: 'not_found' })
    await expect(store.conversations.setState(first.conversation.id, 'archived' as never)).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('refuses a bad batch of conversations whole', async () => {
    const store = await open()
    const good = { integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: 'c1', queueId: QUEUE, assignedAgentId: null, at: T0 }
    await expect(store.conversations.upsertManyForInbound([good, { ...good, customerIgsid: '  ' }])).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.conversations.list({ limit: 1000 })).rejects.toMatchObject({ code: 'invalid_input' })
    expect(await store.conversations.count()).toBe(0)
  })
})

describe('the inbox at 10,000 conversations and 100,000 messages', () => {
  it('reads each list shape through an index, never a full scan or a sort', async () => {
    const store = openTempStore()
    const conversations = await store.conversations.upsertManyForInbound(Array.from({ length: 10_000 }, (_, i) => ({
      integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: `customer-${i}`, queueId: QUEUE,
      assignedAgentId: i % 4 === 0 ? null : `agent-${i % 7}`, at: T0,
    })))
    const messages: NewMessage[] = Array.from({ length: 100_000 }, (_, i) => inbound(`mid-${i}`, conversations[i % 10_000]!.conversation.id, T0 + i * 1000, `message ${i}`))
    expect(await store.messages.insertMany(messages)).toEqual({ inserted: 100_000, duplicates: 0 })
    expect((await store.stats()).rows).toMatchObject({ conversations: 10_000, messages: 100_000 })

    const first = await store.conversations.list({ limit: 50 })
    expect(first).toHaveLength(50)
    expect(first[0]?.lastMessage?.mid).toBe('mid-99999')

    const db = new DatabaseSync(store.filePath, { readOnly: true })
    const plan = (options: Parameters<typeof inboxQuery>[0]) => {
      const { sql, params } = inboxQuery(options)
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
    }
    try {
      const shapes: Parameters<typeof inboxQuery>[0][] = [
        { limit: 50 },
        { limit: 50, offset: 500 },
        { limit: 50, after: { lastActivityAt: T0 + 50_000_000, id: 'z' } },
        { agentId: 'agent-3', limit: 50 },
        { agentId: 'agent-3', state: 'open', limit: 50, after: { lastActivityAt: T0 + 50_000_000, id: 'z' } },
        { agentId: null, limit: 50 },
      ]
      for (const shape of shapes) {
        const steps = plan(shape)
        const conversationsStep = steps.find((s) => / c\b/.test(s))
        expect(conversationsStep, JSON.stringify(steps)).toMatch(/USING (COVERING )?INDEX conversations_by_(agent_)?activity/)
        expect(steps.filter((s) => /^SCAN (c|m|p|x)$/.test(s)), JSON.stringify(steps)).toEqual([])
        expect(steps.filter((s) => /TEMP B-TREE/.test(s)), JSON.stringify(steps)).toEqual([])
        expect(steps.some((s) => /messages_by_conversation_time/.test(s)), JSON.stringify(steps)).toBe(true)
      }
      // A thread page too.
      const thread = (db.prepare('EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = ? AND (created_at, mid) < (?, ?) ORDER BY created_at DESC, mid DESC LIMIT 50')
        .all('x', 1, 'y') as { detail: string }[]).map((r) => r.detail)
      expect(thread.join('\n')).toMatch(/SEARCH messages USING INDEX messages_by_conversation_time/)
      expect(thread.join('\n')).not.toMatch(/TEMP B-TREE/)
    } finally {
      db.close()
    }
  }, 60_000)
})
