// The routing store's contract (R1–R6), the same cases on SQLite and PostgreSQL.
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { openPostgresStore, openStore, STORE_FILE_NAME, type Store } from '../../../src-main/core/store/index.ts'
import type { Migration } from '../../../src-main/core/store/migrations/migration.ts'
import { MIGRATIONS } from '../../../src-main/core/store/migrations/index.ts'
import { migrate } from '../../../src-main/core/store/migrate.ts'
import { openDatabase } from '../../../src-main/core/store/database.ts'
import { POSTGRES_MIGRATIONS } from '../../../src-main/core/store/postgres/migrations/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'
import { describeStore, ENGINES, IG_ACCOUNT, INTEGRATION, openAgain, tempDir } from './helpers.ts'

const T0 = 1_760_000_000_000
const SECOND = 1000
const HOUR = 3_600_000
const WINDOW = 72 * HOUR
const PASSWORD_HASH = 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5'
const DEFAULT_QUEUE = `default:${INTEGRATION}`

async function person(store: Store, username: string, capacity = 4) {
  return (await store.people.create({ username, name: username[0]!.toUpperCase() + username.slice(1), role: 'agent', messageCapacity: capacity, passwordHash: PASSWORD_HASH }, T0)).id
}

/** A customer writes: their thread waits to be routed (created, or reopened when it had ended). */
async function customerWrites(store: Store, customer: string, at: number) {
  const [outcome] = await store.conversations.upsertManyForInbound([
    { integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: customer, queueId: DEFAULT_QUEUE, assignedAgentId: null, at },
  ])
  return outcome!.conversation.id
}

/** Support with its members, on queue in this order (the first is the longest idle). */
async function team<N extends string[]>(store: Store, names: [...N], options: { capacity?: number; autoAnswer?: boolean } = {}): Promise<{ [K in keyof N]: string }> {
  await store.queues.ensureDefault(INTEGRATION, 'Nordlicht DMs', T0)
  const ids: string[] = []
  for (const name of names) ids.push(await person(store, name, options.capacity))
  await store.queues.put({ id: 'support', name: 'Support', memberIds: ids, alertTimeoutSeconds: 30, wrapUpCodes: ['Resolved', 'Spam'], afterWork: 'mandatory', integrationId: null, createdAt: T0 })
  for (const [n, id] of ids.entries()) {
    await store.routing.setPresence(id, 'on_queue', T0 + n)
    if (options.autoAnswer) await store.routing.setAutoAnswer(id, true, T0)
  }
  return ids as { [K in keyof N]: string }
}

async function routedToSupport(store: Store, customer: string, at: number) {
  const id = await customerWrites(store, customer, at)
  expect(await store.routing.route(id, 'support', at, WINDOW)).toEqual({ ok: true })
  return id
}

describeStore('queues and rules (R1)', (open, engine) => {
  it('make each integration a Default queue named after it, once, with an empty list of rules', async () => {
    const store = await open()
    const first = await store.queues.ensureDefault(INTEGRATION, 'Nordlicht DMs', T0)
    expect(first).toMatchObject({ id: DEFAULT_QUEUE, name: 'Nordlicht DMs', alertTimeoutSeconds: 30, afterWork: 'optional', integrationId: INTEGRATION, memberIds: [] })
    expect(await store.queues.ensureDefault(INTEGRATION, 'Renamed', T0, ['p1'])).toMatchObject({ name: 'Nordlicht DMs', memberIds: ['p1'] })
    expect(await store.queues.rules(INTEGRATION)).toEqual({ integrationId: INTEGRATION, defaultQueueId: DEFAULT_QUEUE, rules: [] })
    expect((await store.queues.ensureDefault('integration-2', 'nordlicht dms', T0)).name).toBe('nordlicht dms (2)')
  })

  it('make the Default queue once when two connections ensure it at the same moment, as nodes starting together do', async () => {
    const store = await open()
    const other = await openAgain(engine, store)
    const integrations = ['integration-a', 'integration-b', 'integration-c']
    const made = await Promise.all(integrations.flatMap((id) => [store, other, store, other].map((s, n) => s.queues.ensureDefault(id, 'Nordlicht DMs', T0, [`p${n % 2}`]))))
    expect(new Set(made.map((q) => q.id))).toEqual(new Set(integrations.map((id) => `default:${id}`)))
    const queues = await store.queues.list()
    expect(queues).toHaveLength(3)
    expect(queues.map((q) => q.name).sort()).toEqual(['Nordlicht DMs', 'Nordlicht DMs (2)', 'Nordlicht DMs (3)'])
    for (const queue of queues) expect(queue.memberIds).toEqual(['p0', 'p1'])
  })

  it('keep names unique regardless of case, members as given, and refuse deleting what is in use', async () => {
    const store = await open()
    await store.queues.ensureDefault(INTEGRATION, 'Nordlicht DMs', T0)
    const billing = { id: 'billing', name: 'Billing', memberIds: ['b', 'a', 'a'], alertTimeoutSeconds: 7, wrapUpCodes: ['Paid'], afterWork: 'none' as const, integrationId: null, createdAt: T0 }
    expect(await store.queues.put(billing)).toMatchObject({ name: 'Billing', memberIds: ['a', 'b'] })
    await expect(store.queues.put({ ...billing, id: 'other', name: 'BILLING' })).rejects.toMatchObject({ code: 'conflict' })
    await expect(store.queues.put({ ...billing, alertTimeoutSeconds: 6 })).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await store.queues.list()).map((q) => q.name)).toEqual(['Billing', 'Nordlicht DMs'])

    await expect(store.queues.delete(DEFAULT_QUEUE)).rejects.toMatchObject({ code: 'conflict' })
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: DEFAULT_QUEUE, rules: [{ kind: 'contains', keywords: ['invoice'], queueId: 'billing' }] })
    await expect(store.queues.delete('billing')).rejects.toMatchObject({ code: 'conflict' })
    await expect(store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: DEFAULT_QUEUE, rules: [{ kind: 'attachment', queueId: 'gone' }] })).rejects.toMatchObject({ code: 'not_found' })
    await store.queues.putRules({ integrationId: INTEGRATION, defaultQueueId: DEFAULT_QUEUE, rules: [] })
    expect(await store.queues.delete('billing')).toBe(true)
    expect(await store.queues.get('billing')).toBeNull()
  })
})

describeStore('routing decisions (R2–R5)', (open) => {
  it('route a new conversation into its queue and offer it to the longest-idle agent on queue, with the queue’s timeout', async () => {
    const store = await open()
    const [anna, ben] = await team(store, ['anna', 'ben'])
    const id = await customerWrites(store, 'lea', T0 + HOUR)
    expect(await store.routing.unrouted(10)).toEqual([id])
    expect(await store.routing.offerNext(T0 + HOUR)).toBeNull() // not routed yet
    await store.routing.route(id, 'support', T0 + HOUR, WINDOW)
    expect(await store.routing.unrouted(10)).toEqual([])
    const offer = await store.routing.offerNext(T0 + HOUR)
    expect(offer).toEqual({ kind: 'alerted', conversationId: id, personId: anna, expiresAt: T0 + HOUR + 30 * SECOND })
    expect(await store.routing.offerNext(T0 + HOUR)).toBeNull() // it is out to Anna
    expect(await store.routing.alertsFor(anna)).toEqual([{ conversationId: id, personId: anna, queueId: 'support', queueName: 'Support', offeredAt: T0 + HOUR, expiresAt: T0 + HOUR + 30 * SECOND }])
    // Anna was offered last, so Ben is now the longest idle.
    const next = await routedToSupport(store, 'max', T0 + HOUR + 1)
    expect(await store.routing.offerNext(T0 + HOUR + 1)).toMatchObject({ conversationId: next, personId: ben })

    expect(await store.routing.accept(id, ben, T0 + HOUR + 2)).toEqual({ ok: false, reason: 'not_offered' })
    expect(await store.routing.accept(id, anna, T0 + HOUR + 2)).toEqual({ ok: true })
    expect(await store.conversations.get(id)).toMatchObject({ assignedAgentId: anna, state: 'open', waitingSince: null })
    expect((await store.routing.history(id)).map((e) => [e.kind, e.queueName, e.personName])).toEqual([
      ['routed', 'Support', null], ['alerted', 'Support', 'Anna'], ['accepted', 'Support', 'Anna'],
    ])
  })

  it('offer the oldest waiting conversation first, and never beyond an agent’s capacity', async () => {
    const store = await open()
    const [anna] = await team(store, ['anna'], { capacity: 2, autoAnswer: true })
    const late = await routedToSupport(store, 'late', T0 + 3 * HOUR)
    const early = await routedToSupport(store, 'early', T0 + HOUR)
    const middle = await routedToSupport(store, 'middle', T0 + 2 * HOUR)
    expect(await store.routing.offerNext(T0 + 4 * HOUR)).toMatchObject({ kind: 'accepted', conversationId: early, personId: anna, expiresAt: null })
    expect(await store.routing.offerNext(T0 + 4 * HOUR)).toMatchObject({ conversationId: middle })
    expect(await store.routing.offerNext(T0 + 4 * HOUR)).toBeNull()
    expect((await store.routing.history(early)).at(-1)).toMatchObject({ kind: 'accepted', personName: 'Anna', automatic: true })
    expect(await store.routing.assign(late, anna, T0 + 4 * HOUR, null)).toEqual({ ok: false, reason: 'at_capacity' })
    // Ending one frees a seat: the last waits no longer.
    expect(await store.routing.end(early, anna, null, T0 + 5 * HOUR)).toEqual({ ok: false, reason: 'wrap_up_required' })
    expect(await store.routing.end(early, anna, 'Nope', T0 + 5 * HOUR)).toEqual({ ok: false, reason: 'unknown_wrap_up_code' })
    expect(await store.routing.end(early, anna, 'resolved', T0 + 5 * HOUR)).toEqual({ ok: true })
    expect(await store.conversations.get(early)).toMatchObject({ state: 'ended', assignedAgentId: anna, wrapUpCode: 'Resolved', endedAt: T0 + 5 * HOUR })
    expect(await store.routing.offerNext(T0 + 5 * HOUR)).toMatchObject({ conversationId: late })
    expect(await store.routing.activity()).toEqual({
      queues: [
        { id: DEFAULT_QUEUE, name: 'Nordlicht DMs', waiting: 0, interacting: 0, longestWaitingSince: null, agentsOnQueue: 0 },
        { id: 'support', name: 'Support', waiting: 0, interacting: 2, longestWaitingSince: null, agentsOnQueue: 1 },
      ],
      agents: [{ personId: anna, name: 'Anna', presence: 'on_queue', presenceSince: T0, conversations: 2, capacity: 2 }],
    })
  })

  it('move a declined conversation to the next agent, and make an agent who lets it time out Not responding', async () => {
    const store = await open()
    const [anna, ben] = await team(store, ['anna', 'ben'])
    const id = await routedToSupport(store, 'lea', T0 + HOUR)
    expect(await store.routing.offerNext(T0 + HOUR)).toMatchObject({ personId: anna })
    expect(await store.routing.decline(id, ben, T0 + HOUR)).toEqual({ ok: false, reason: 'not_offered' })
    expect(await store.routing.decline(id, anna, T0 + HOUR + SECOND)).toEqual({ ok: true })
    expect(await store.routing.offerNext(T0 + HOUR + SECOND)).toMatchObject({ personId: ben, expiresAt: T0 + HOUR + 31 * SECOND })
    expect(await store.routing.nextExpiry()).toBe(T0 + HOUR + 31 * SECOND)
    expect(await store.routing.expireNext(T0 + HOUR + 30 * SECOND)).toBeNull()
    expect(await store.routing.expireNext(T0 + HOUR + 31 * SECOND)).toEqual({ conversationId: id, personId: ben })
    expect(await store.routing.agent(ben)).toMatchObject({ presence: 'not_responding', presenceSince: T0 + HOUR + 31 * SECOND })
    // Anna declined it and Ben is not responding: it waits, and says so in Queue activity.
    expect(await store.routing.offerNext(T0 + HOUR + 31 * SECOND)).toBeNull()
    expect((await store.routing.activity()).queues.find((q) => q.id === 'support')).toMatchObject({ waiting: 1, longestWaitingSince: T0 + HOUR, agentsOnQueue: 1 })
    // Ben chooses a presence again and is offered it.
    await store.routing.setPresence(ben, 'on_queue', T0 + 2 * HOUR)
    expect(await store.routing.offerNext(T0 + 2 * HOUR)).toMatchObject({ conversationId: id, personId: ben })
    expect((await store.routing.history(id)).map((e) => e.kind)).toEqual(['routed', 'alerted', 'declined', 'alerted', 'not_responding', 'alerted'])
  })

  it('transfer blindly to a queue or to a person on queue with room, and refuse what cannot be', async () => {
    const store = await open()
    const [anna, ben] = await team(store, ['anna', 'ben'], { autoAnswer: true })
    await store.queues.put({ id: 'billing', name: 'Billing', memberIds: [ben], alertTimeoutSeconds: 30, wrapUpCodes: [], afterWork: 'optional', integrationId: null, createdAt: T0 })
    const id = await routedToSupport(store, 'lea', T0 + HOUR)
    expect(await store.routing.offerNext(T0 + HOUR)).toMatchObject({ personId: anna })
    expect(await store.routing.transfer(id, { queueId: 'nowhere' }, T0 + HOUR, anna)).toEqual({ ok: false, reason: 'no_queue' })
    expect(await store.routing.transfer(id, { queueId: 'billing' }, T0 + HOUR + 1, anna)).toEqual({ ok: true })
    expect(await store.conversations.get(id)).toMatchObject({ queueId: 'billing', assignedAgentId: null, waitingSince: T0 + HOUR + 1 })
    expect(await store.routing.offerNext(T0 + HOUR + 2)).toMatchObject({ conversationId: id, personId: ben })

    expect(await store.routing.transfer(id, { personId: ben }, T0 + HOUR + 3, ben)).toEqual({ ok: false, reason: 'already_theirs' })
    await store.routing.setPresence(anna, 'break', T0 + HOUR + 3)
    expect(await store.routing.transfer(id, { personId: anna }, T0 + HOUR + 3, ben)).toEqual({ ok: false, reason: 'not_on_queue' })
    await store.routing.setPresence(anna, 'on_queue', T0 + HOUR + 4)
    // Anna is no member of Billing, but a transfer to her is offered to her all the same.
    expect(await store.routing.transfer(id, { personId: anna }, T0 + HOUR + 5, ben)).toEqual({ ok: true })
    expect(await store.routing.offerNext(T0 + HOUR + 5)).toMatchObject({ conversationId: id, personId: anna, kind: 'accepted' })
    // Each step names the conversation's queue then; a transfer to a person keeps it.
    expect((await store.routing.history(id)).map((e) => [e.kind, e.queueName, e.personName, e.byName])).toEqual([
      ['routed', 'Support', null, null], ['accepted', 'Support', 'Anna', null], ['transferred_to_queue', 'Billing', null, 'Anna'], ['accepted', 'Billing', 'Ben', null],
      ['transferred_to_person', 'Billing', 'Anna', 'Ben'], ['accepted', 'Billing', 'Anna', null],
    ])
    expect(await store.routing.end(id, anna, null, T0 + HOUR + 6)).toEqual({ ok: true })
    expect(await store.routing.transfer(id, { queueId: 'support' }, T0 + HOUR + 7, anna)).toEqual({ ok: false, reason: 'ended' })
  })

  it('bring a customer who writes again within the threading window back to their last agent, else to the queue', async () => {
    const store = await open()
    const [anna, ben] = await team(store, ['anna', 'ben'], { autoAnswer: true })
    const id = await routedToSupport(store, 'lea', T0 + HOUR)
    await store.routing.offerNext(T0 + HOUR) // Anna
    await store.routing.end(id, anna, 'Resolved', T0 + 2 * HOUR)
    // Ben is now the longest idle, but Lea returns to Anna.
    expect(await customerWrites(store, 'lea', T0 + 3 * HOUR)).toBe(id)
    expect(await store.conversations.get(id)).toMatchObject({ state: 'open', assignedAgentId: null, routedAt: null, waitingSince: T0 + 3 * HOUR })
    expect(await store.routing.unrouted(10)).toEqual([id])
    await store.routing.route(id, 'support', T0 + 3 * HOUR, WINDOW)
    expect(await store.routing.offerNext(T0 + 3 * HOUR)).toMatchObject({ conversationId: id, personId: anna })

    // Past the window: to the queue, whoever is longest idle.
    await store.routing.end(id, anna, 'Resolved', T0 + 4 * HOUR)
    await customerWrites(store, 'lea', T0 + 4 * HOUR + WINDOW + 1)
    await store.routing.route(id, 'support', T0 + 4 * HOUR + WINDOW + 1, WINDOW)
    expect(await store.routing.offerNext(T0 + 4 * HOUR + WINDOW + 1)).toMatchObject({ personId: ben })

    // Within the window but the last agent is away: to the queue.
    await store.routing.end(id, ben, 'Resolved', T0 + 100 * HOUR)
    await store.routing.setPresence(ben, 'away', T0 + 100 * HOUR)
    await customerWrites(store, 'lea', T0 + 101 * HOUR)
    await store.routing.route(id, 'support', T0 + 101 * HOUR, WINDOW)
    expect(await store.routing.offerNext(T0 + 101 * HOUR)).toMatchObject({ personId: anna })
  })

  it('let a supervisor assign by hand within capacity, whatever the presence, and end what waits', async () => {
    const store = await open()
    const [anna] = await team(store, ['anna'], { capacity: 1 })
    await store.routing.setPresence(anna, 'away', T0 + 1)
    const supervisor = await person(store, 'sara')
    const first = await routedToSupport(store, 'lea', T0 + HOUR)
    const second = await routedToSupport(store, 'max', T0 + HOUR)
    expect(await store.routing.assign(first, 'nobody', T0 + HOUR, supervisor)).toEqual({ ok: false, reason: 'no_person' })
    expect(await store.routing.assign(first, anna, T0 + HOUR, supervisor)).toEqual({ ok: true })
    expect(await store.routing.assign(first, anna, T0 + HOUR, supervisor)).toEqual({ ok: false, reason: 'already_theirs' })
    expect(await store.routing.assign(second, anna, T0 + HOUR, supervisor)).toEqual({ ok: false, reason: 'at_capacity' })
    expect((await store.routing.history(first)).at(-1)).toMatchObject({ kind: 'assigned', personName: 'Anna', byName: 'Sara' })
    expect(await store.routing.end(second, supervisor, 'Spam', T0 + 2 * HOUR)).toEqual({ ok: true })
    expect((await store.routing.history(second)).at(-1)).toMatchObject({ kind: 'ended', personName: null, byName: 'Sara', wrapUpCode: 'Spam' })
  })
})

describe.each(ENGINES)('upgrading a store from before routing — %s', (engine) => {
  it('keeps every conversation’s owner: an assigned one ends with its agent as the last one, an unassigned one waits in its queue', async () => {
    const before = engine === 'sqlite' ? MIGRATIONS.slice(0, 2) : POSTGRES_MIGRATIONS.slice(0, 1)
    const url = engine === 'postgres' ? await createTestDatabase() : null
    const file = join(tempDir(), STORE_FILE_NAME)
    const openAt = async (migrations?: readonly Migration[]) => (url ? openPostgresStore(url, { migrations }) : openStore(file, { migrations }))
    // The schema as the previous version left it (SQLite: its statements would not even prepare on it).
    if (url) await (await openAt(before)).close()
    else {
      const db = openDatabase(file)
      migrate(db, file, before, () => T0)
      db.close()
    }
    // Rows as the previous version wrote them, in its columns.
    const insert = `INSERT INTO conversations (id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count, last_customer_message_at, last_activity_at, created_at)
      VALUES ('mine', '${INTEGRATION}', '${IG_ACCOUNT}', 'lea', '${DEFAULT_QUEUE}', 'local', 'open', 0, ${T0}, ${T0}, ${T0}),
             ('waiting', '${INTEGRATION}', '${IG_ACCOUNT}', 'max', '${DEFAULT_QUEUE}', NULL, 'open', 1, ${T0 + HOUR}, ${T0 + HOUR}, ${T0 + HOUR})`
    if (url) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(insert)
      await client.end()
    } else {
      const db = new DatabaseSync(file)
      db.exec(insert)
      db.close()
    }
    const [mine, waiting] = ['mine', 'waiting']

    const store = await openAt()
    try {
      expect(await store.conversations.get(mine)).toMatchObject({ state: 'ended', assignedAgentId: 'local', endedAt: T0, routedAt: T0, waitingSince: null })
      expect(await store.conversations.get(waiting)).toMatchObject({ state: 'open', assignedAgentId: null, routedAt: T0 + HOUR, waitingSince: T0 + HOUR })
      expect(await store.routing.unrouted(10)).toEqual([])
    } finally {
      await store.close()
    }
  })
})
