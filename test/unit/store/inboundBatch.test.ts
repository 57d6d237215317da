import { expect, it } from 'vitest'
import type { InboundMessage } from '../../../src-main/core/store/index.ts'
import { AGENT, conversationFor, describeStore, IG_ACCOUNT, INTEGRATION, QUEUE } from './helpers.ts'

const T0 = 1_760_000_000_000
const MINUTE = 60_000

/** A customer's message as ingest hands it to the store: the thread it belongs to, and the message. */
function fromCustomer(customerIgsid: string, mid: string, createdAt: number, integrationId = INTEGRATION): InboundMessage {
  return {
    conversation: { integrationId, igAccountId: IG_ACCOUNT, customerIgsid, queueId: QUEUE, assignedAgentId: AGENT, at: createdAt },
    message: { mid, direction: 'inbound', kind: 'text', text: `text of ${mid}`, createdAt },
  }
}

describeStore('an inbound batch as one unit of work (A2)', (open) => {
  it('creates each customer’s thread once and moves its counters with the messages', async () => {
    const store = await open()
    const { stored, duplicates } = await store.messages.insertInbound([
      fromCustomer('lea', 'm1', T0),
      fromCustomer('tom', 'm2', T0 + MINUTE),
      fromCustomer('lea', 'm3', T0 + 2 * MINUTE),
    ])
    expect(duplicates).toBe(0)
    expect(stored.map((s) => s.mid)).toEqual(['m1', 'm2', 'm3'])
    expect(stored[0]!.conversationId).toBe(stored[2]!.conversationId)
    expect(stored[1]!.conversationId).not.toBe(stored[0]!.conversationId)
    expect((await store.stats()).rows).toMatchObject({ conversations: 2, messages: 3 })
    expect(await store.conversations.get(stored[0]!.conversationId)).toMatchObject({
      unreadCount: 2, lastCustomerMessageAt: T0 + 2 * MINUTE, createdAt: T0, queueId: QUEUE, assignedAgentId: AGENT,
    })
  })

  it('leaves a mid it already has alone: no second copy, no count, no reopening of an ended thread', async () => {
    const store = await open()
    const [first] = (await store.messages.insertInbound([fromCustomer('lea', 'm1', T0)])).stored
    await store.conversations.setState(first!.conversationId, 'ended')
    await store.conversations.markRead(first!.conversationId)

    const again = await store.messages.insertInbound([fromCustomer('lea', 'm1', T0, 'recreated-integration'), fromCustomer('lea', 'm1', T0)])
    expect(again).toEqual({ stored: [], duplicates: 2 })
    expect(await store.conversations.get(first!.conversationId)).toMatchObject({ state: 'ended', unreadCount: 0, integrationId: INTEGRATION })

    // A new message does reopen it, under the integration that now serves the account (S11).
    const next = await store.messages.insertInbound([fromCustomer('lea', 'm2', T0 + MINUTE, 'recreated-integration')])
    expect(next.stored).toEqual([{ mid: 'm2', conversationId: first!.conversationId }])
    expect(await store.conversations.get(first!.conversationId)).toMatchObject({ state: 'open', unreadCount: 1, integrationId: 'recreated-integration' })
  })

  it('counts a mid twice in one batch once', async () => {
    const store = await open()
    const c = await conversationFor(store, 'lea', T0)
    const result = await store.messages.insertInbound([fromCustomer('lea', 'm1', T0), fromCustomer('lea', 'm1', T0)])
    expect(result).toEqual({ stored: [{ mid: 'm1', conversationId: c.id }], duplicates: 1 })
    expect(await store.conversations.get(c.id)).toMatchObject({ unreadCount: 1 })
  })

  it('refuses a whole batch with one bad message, creating no thread and storing nothing', async () => {
    const store = await open()
    const bad = { ...fromCustomer('tom', 'm2', T0), message: { ...fromCustomer('tom', 'm2', T0).message, kind: 'story_mention' as const } }
    await expect(store.messages.insertInbound([fromCustomer('lea', 'm1', T0), bad])).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.messages.insertInbound([fromCustomer('lea', 'm1', T0), { ...fromCustomer('tom', 'm3', T0), extra: 1 } as never])).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await store.stats()).rows).toMatchObject({ conversations: 0, messages: 0 })
  })
})
