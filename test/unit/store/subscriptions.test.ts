// I2: event subscriptions in the store, the same cases on SQLite and PostgreSQL — a routing step
// writes its events' deliveries in its own transaction; deliveries are claimed for a lease, one
// claimer at a time; attempts are recorded; a subscription that keeps failing is turned off.
import { expect, it } from 'vitest'
import type { Store } from '../../../src-main/core/store/index.ts'
import { describeStore, IG_ACCOUNT, INTEGRATION, openAgain } from './helpers.ts'

const T0 = 1_760_000_000_000
const WINDOW = 72 * 3_600_000
const QUEUE = `default:${INTEGRATION}`
const PASSWORD_HASH = 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5'

async function routedConversation(store: Store, customer: string, at = T0) {
  await store.queues.ensureDefault(INTEGRATION, 'Nordlicht DMs', T0)
  const [outcome] = await store.conversations.upsertManyForInbound([{ integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: customer, queueId: QUEUE, assignedAgentId: null, at }])
  const id = outcome!.conversation.id
  expect(await store.routing.route(id, QUEUE, at, WINDOW)).toEqual({ ok: true })
  return id
}

const subscription = (id: string, types: ('conversation.started' | 'conversation.routed' | 'conversation.accepted' | 'conversation.ended')[]) => ({
  id, url: `https://crm.example.com/${id}`, types, createdBy: null, createdAt: T0,
})

describeStore('event subscriptions (I2)', (open, engine) => {
  it('get one delivery per event they want, written with the routing step; none for steps no one subscribed to', async () => {
    const store = await open()
    await store.subscriptions.create(subscription('crm', ['conversation.started', 'conversation.routed', 'conversation.ended']))
    await store.subscriptions.create(subscription('wfm', ['conversation.accepted']))
    await store.subscriptions.create(subscription('off', ['conversation.routed']))
    await store.subscriptions.setEnabled('off', false, T0)
    const conversation = await routedConversation(store, 'lea')
    const anna = (await store.people.create({ username: 'anna', name: 'Anna Berg', role: 'agent', messageCapacity: 4, passwordHash: PASSWORD_HASH }, T0)).id
    expect(await store.routing.assign(conversation, anna, T0 + 1, null)).toEqual({ ok: true })
    expect(await store.routing.end(conversation, anna, null, T0 + 2)).toEqual({ ok: true })

    const types = async (id: string) => (await store.subscriptions.deliveries(id, 10)).map((d) => d.eventType).sort()
    expect(await types('crm')).toEqual(['conversation.ended', 'conversation.routed', 'conversation.started'])
    expect(await types('wfm')).toEqual(['conversation.accepted'])
    expect(await types('off')).toEqual([])
    const ids = (await store.subscriptions.deliveries('crm', 10)).map((d) => d.eventId)
    expect(new Set(ids).size).toBe(3)
    for (const id of ids) expect(id).toMatch(/^evt_\d+_(started|routed|ended)$/)
    expect((await store.subscriptions.list()).map((s) => [s.id, s.pending])).toEqual([['crm', 3], ['off', 0], ['wfm', 1]])
  })

  it('are claimed for a lease by one claimer at a time, retried when it runs out, and recorded', async () => {
    const store = await open()
    await store.subscriptions.create(subscription('crm', ['conversation.routed']))
    for (const customer of ['lea', 'tomas', 'aylin']) await routedConversation(store, customer)
    const other = await openAgain(engine, store)

    // Two claimers at the same moment never take the same delivery.
    const [first, second] = await Promise.all([store.subscriptions.claimDue(T0, 15_000, 2), other.subscriptions.claimDue(T0, 15_000, 2)])
    const claimed = [...first!, ...second!].map((d) => d.id)
    expect(claimed).toHaveLength(3)
    expect(new Set(claimed).size).toBe(3)
    expect(first![0] ?? second![0]).toMatchObject({ url: 'https://crm.example.com/crm', attempts: 1, event: { kind: 'routed', queueId: QUEUE }, conversation: { integrationId: INTEGRATION } })
    expect(await store.subscriptions.claimDue(T0 + 14_999, 15_000, 10)).toEqual([])

    // A claimer that died: after its lease another takes it, as a second attempt.
    const again = await store.subscriptions.claimDue(T0 + 15_000, 15_000, 10)
    expect(again.map((d) => d.attempts)).toEqual([2, 2, 2])
    const [a, b, c] = again as [typeof again[0], typeof again[0], typeof again[0]]
    expect(await store.subscriptions.finish(a.id, T0 + 16_000, { delivered: true, status: 204 }, 3)).toEqual({ disabled: false })
    expect(await store.subscriptions.finish(b.id, T0 + 16_000, { delivered: false, status: 500, error: 'The receiver answered 500.', retryAt: T0 + 60_000 }, 3)).toEqual({ disabled: false })
    // c is still leased, b waits for its retry.
    expect(await store.subscriptions.claimDue(T0 + 29_999, 15_000, 10)).toEqual([])
    const deliveries = await store.subscriptions.deliveries('crm', 10)
    expect(deliveries.find((d) => d.id === a.id)).toMatchObject({ state: 'delivered', lastStatus: 204, finishedAt: T0 + 16_000 })
    expect(deliveries.find((d) => d.id === b.id)).toMatchObject({ state: 'pending', lastStatus: 500, lastError: 'The receiver answered 500.', nextAttemptAt: T0 + 60_000 })

    // Given up: failed for good; a subscription failing again and again is turned off, its deliveries kept.
    expect(await store.subscriptions.finish(c.id, T0 + 16_000, { delivered: false, status: null, error: 'No answer within 10 s.', retryAt: null }, 3)).toEqual({ disabled: true })
    expect(await store.subscriptions.get('crm')).toMatchObject({ enabled: false, disabledReason: 'failures', consecutiveFailures: 2 })
    expect(await store.subscriptions.claimDue(T0 + 60_000, 15_000, 10)).toEqual([])
    expect(await store.subscriptions.setEnabled('crm', true, T0 + 61_000)).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null })
    expect((await store.subscriptions.claimDue(T0 + 61_000, 15_000, 10)).map((d) => d.id)).toEqual([b.id])
    expect(await store.subscriptions.delete('crm')).toBe(true)
    expect(await store.subscriptions.deliveries('crm', 10)).toEqual([])
  })
})
