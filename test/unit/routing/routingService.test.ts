// The routing engine on one node, on an injected clock: rules choose the queue, alerts reach the
// agent with what they need to decide, a timeout makes them Not responding and the next agent is
// tried, and a single workstation's one person gets every conversation by Auto-answer.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Actor } from '../../../src-main/core/contract/context.ts'
import type { EventMessage } from '../../../src-main/core/contract/index.ts'
import { chooseQueue } from '../../../src-main/core/routing/chooseQueue.ts'
import { createRoutingService, SWEEP_MS } from '../../../src-main/core/routing/routingService.ts'
import { openStore, STORE_FILE_NAME, type InboundMessage, type Store } from '../../../src-main/core/store/index.ts'
import { memoryLog } from '../inbox/inbound/harness.ts'

const T0 = 1_760_000_000_000
const INTEGRATION = 'int-nordlicht'
const IG = '17841400000000001'
const PASSWORD_HASH = 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const actor = (personId: string, name: string): Actor => ({ personId, name, username: personId, role: 'agent', permissions: [] })

function setUp(options: { localAgent?: boolean } = {}) {
  vi.useFakeTimers({ now: T0 })
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'parley-routing-')), STORE_FILE_NAME))
  const events: { event: EventMessage; people: readonly string[]; supervisors: boolean }[] = []
  const routing = createRoutingService({
    store,
    log: memoryLog().log,
    emit: (name, payload, audience) => void events.push({ event: { name, payload } as EventMessage, people: audience?.people ?? [], supervisors: audience?.supervisors ?? false }),
    now: Date.now,
    integrationName: () => 'Nordlicht DMs',
    localAgent: options.localAgent ? { id: 'local', name: 'Local user' } : null,
  })
  cleanups.push(async () => {
    await routing.stop()
    await store.close()
  })
  return { store, routing, events }
}

/** A customer writes (sandbox-like ids); the engine is told, as ingest tells it. */
async function customerWrites(store: Store, customer: string, message: Partial<InboundMessage['message']> = {}) {
  const mid = `m-${customer}-${Date.now()}`
  const { stored } = await store.messages.insertInbound([{
    conversation: { integrationId: INTEGRATION, igAccountId: IG, customerIgsid: customer, queueId: `default:${INTEGRATION}`, assignedAgentId: null, at: Date.now() },
    message: { mid, direction: 'inbound', kind: 'text', text: 'Hallo', createdAt: Date.now(), ...message },
  }])
  return stored[0]!.conversationId
}

async function agents(store: Store, names: string[], queue = 'support') {
  const ids: Record<string, string> = {}
  for (const name of names) ids[name] = (await store.people.create({ username: name.toLowerCase(), name, role: 'agent', messageCapacity: 4, passwordHash: PASSWORD_HASH }, T0)).id
  await store.queues.put({ id: queue, name: 'Support', memberIds: Object.values(ids), alertTimeoutSeconds: 10, wrapUpCodes: [], afterWork: 'none', integrationId: null, createdAt: T0 })
  return ids
}

const alertsFor = (events: { event: EventMessage; people: readonly string[] }[], personId: string) =>
  events.filter((e) => e.event.name === 'routing.alerts' && e.people.includes(personId)).map((e) => e.event.payload)

describe('choosing a queue (R1)', () => {
  const rules = {
    defaultQueueId: 'default',
    rules: [
      { kind: 'sender' as const, usernames: ['@Lea.Sommer'], queueId: 'vip' },
      { kind: 'contains' as const, keywords: ['Rechnung', 'invoice'], queueId: 'billing' },
      { kind: 'attachment' as const, queueId: 'media' },
    ],
  }
  it('takes the first rule that matches, in order, else the Default queue', () => {
    expect(chooseQueue(rules, { text: 'Meine RECHNUNG fehlt', senderUsername: 'lea.sommer', hasAttachment: true })).toBe('vip')
    expect(chooseQueue(rules, { text: 'Where is my invoice?', senderUsername: 'max', hasAttachment: true })).toBe('billing')
    expect(chooseQueue(rules, { text: 'Look', senderUsername: null, hasAttachment: true })).toBe('media')
    expect(chooseQueue(rules, { text: null, senderUsername: null, hasAttachment: false })).toBe('default')
  })
})

describe('the routing engine', () => {
  it('routes by the integration’s rules and alerts the agent with the customer, the queue and the first message', async () => {
    const { store, routing, events } = setUp()
    const { Anna } = await agents(store, ['Anna'], 'billing')
    await routing.start([{ id: INTEGRATION, name: 'Nordlicht DMs' }])
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: `default:${INTEGRATION}`, rules: [{ kind: 'contains', keywords: ['rechnung'], queueId: 'billing' }] })
    await routing.setPresence(actor(Anna!, 'Anna'), 'on_queue')
    await store.participants.upsert({ igAccountId: IG, igsid: 'lea', name: 'Lea Sommer', username: 'lea.sommer', profilePicUrl: null, fetchedAt: T0 })

    const id = await customerWrites(store, 'lea', { text: 'Wo ist meine Rechnung?' })
    await routing.arrived()
    await routing.idle()
    expect(alertsFor(events, Anna!).at(-1)).toEqual([{
      conversationId: id, customer: 'Lea Sommer', queueName: 'Support', firstMessage: 'Wo ist meine Rechnung?',
      offeredAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + 10_000).toISOString(),
    }])
    expect((await store.routing.history(id)).map((e) => [e.kind, e.queueName])).toEqual([['routed', 'Support'], ['alerted', 'Support']])
    // Supervisors hear of queue activity, a moment later and once for the burst.
    await vi.advanceTimersByTimeAsync(250)
    expect(events.filter((e) => e.event.name === 'routing.activity' && e.supervisors)).toHaveLength(1)
  })

  it('lets an unanswered alert time out: the agent becomes Not responding and the next agent is alerted', async () => {
    const { store, routing, events } = setUp()
    const { Anna, Ben } = await agents(store, ['Anna', 'Ben'])
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: 'support', rules: [] })
    await routing.start([{ id: INTEGRATION, name: 'Nordlicht DMs' }])
    await routing.setPresence(actor(Anna!, 'Anna'), 'on_queue')
    vi.setSystemTime(T0 + 1000)
    await routing.setPresence(actor(Ben!, 'Ben'), 'on_queue')
    const id = await customerWrites(store, 'lea')
    await routing.arrived()
    await routing.idle()
    expect(alertsFor(events, Anna!).at(-1)).toMatchObject([{ conversationId: id }])

    await vi.advanceTimersByTimeAsync(9_000)
    expect((await store.routing.agent(Anna!))?.presence).toBe('on_queue')
    await vi.advanceTimersByTimeAsync(1_100)
    await routing.idle()
    expect((await store.routing.agent(Anna!))?.presence).toBe('not_responding')
    expect(alertsFor(events, Anna!).at(-1)).toEqual([])
    expect(events.some((e) => e.event.name === 'presence.changed' && (e.event.payload as { presence: string }).presence === 'not_responding' && e.supervisors)).toBe(true)
    expect(alertsFor(events, Ben!).at(-1)).toMatchObject([{ conversationId: id }])

    // Ben accepts: it is his; ending needs no code in a queue that asks none.
    await routing.accept(actor(Ben!, 'Ben'), id)
    await expect(routing.accept(actor(Anna!, 'Anna'), id)).rejects.toMatchObject({ message: 'This conversation is no longer offered to you.' })
    await routing.end(actor(Ben!, 'Ben'), id, null)
    expect((await store.routing.history(id)).map((e) => e.kind)).toEqual(['routed', 'alerted', 'not_responding', 'alerted', 'accepted', 'ended'])
  })

  it('waits briefly for the customer’s profile when a rule names senders, then routes without it', async () => {
    const { store, routing } = setUp()
    await agents(store, ['Anna'], 'vip')
    await routing.start([{ id: INTEGRATION, name: 'Nordlicht DMs' }])
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: `default:${INTEGRATION}`, rules: [{ kind: 'sender', usernames: ['lea.sommer'], queueId: 'vip' }] })
    const lea = await customerWrites(store, 'lea')
    const max = await customerWrites(store, 'max')
    await routing.arrived()
    expect(await store.routing.unrouted(10)).toHaveLength(2)
    // Lea's profile arrives (ingest then tells the engine again); Max's never does.
    await store.participants.upsert({ igAccountId: IG, igsid: 'lea', name: 'Lea', username: 'lea.sommer', profilePicUrl: null, fetchedAt: Date.now() })
    await routing.arrived()
    expect(await store.conversations.get(lea)).toMatchObject({ queueId: 'vip' })
    await vi.advanceTimersByTimeAsync(5 * SWEEP_MS + 100)
    await routing.idle()
    expect(await store.conversations.get(max)).toMatchObject({ queueId: `default:${INTEGRATION}` })
    expect(await store.conversations.get(max).then((c) => c?.routedAt)).not.toBeNull()
  })

  it('refuses in plain words what cannot be done', async () => {
    const { store, routing } = setUp()
    const { Anna, Ben } = await agents(store, ['Anna', 'Ben'])
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: 'support', rules: [] })
    await routing.start([{ id: INTEGRATION, name: 'Nordlicht DMs' }])
    const id = await customerWrites(store, 'lea')
    await routing.arrived()
    await expect(routing.transfer(actor(Anna!, 'Anna'), id, { personId: Ben! })).rejects.toMatchObject({ code: 'conflict', message: 'Ben is not on queue.' })
    await expect(routing.transfer(actor(Anna!, 'Anna'), id, { queueId: 'nowhere' })).rejects.toMatchObject({ code: 'not_found', message: 'That queue does not exist.' })
    await expect(routing.decline(actor(Anna!, 'Anna'), id)).rejects.toMatchObject({ message: 'This conversation is no longer offered to you.' })
  })
})

describe('a single workstation', () => {
  it('gives every new conversation to its one person at once (Auto-answer), who is in every Default queue', async () => {
    const { store, routing, events } = setUp({ localAgent: true })
    await routing.start([{ id: INTEGRATION, name: 'Nordlicht DMs' }])
    expect(await store.queues.get(`default:${INTEGRATION}`)).toMatchObject({ memberIds: ['local'] })
    expect(await store.routing.agent('local')).toMatchObject({ presence: 'on_queue', autoAnswer: true })
    const ids = [await customerWrites(store, 'lea'), await customerWrites(store, 'max')]
    await routing.arrived()
    for (const id of ids) expect(await store.conversations.get(id)).toMatchObject({ assignedAgentId: 'local', state: 'open' })
    expect(events.filter((e) => e.event.name === 'routing.alerts')).toEqual([])
    expect((await store.routing.history(ids[0]!)).map((e) => [e.kind, e.personName, e.automatic])).toEqual([['routed', null, false], ['accepted', 'Local user', true]])
  })
})
