// R2–R6: routing decisions, each one transaction, the same SQL on both engines. Every unit that
// changes a conversation locks its row first, then (when an agent's load grows) the agent's row:
// one order everywhere, so two nodes never wait on each other in a circle, and an agent's load is
// always counted under their lock — capacity holds however many nodes decide at once.
import type { Presence } from '../../contract/routing.ts'
import type { RoutingRepository } from '../repositories.ts'
import type { AgentState, Decision, Offer, QueueActivity, RoutingEvent, StoredAlert } from '../routingSchemas.ts'
import { EVENT_TYPES_OF_STEP } from '../apiSchemas.ts'
import { eventIdOf } from '../api/eventIds.ts'
import { ids, parseInput } from '../schemas.ts'
import { all, numberOrNull, one, run, type Unit, type UnitRunner } from './steps.ts'

interface AgentRow {
  person_id: string
  presence: Presence
  presence_since: number
  idle_since: number
  auto_answer: number
}

const toAgent = (r: AgentRow): AgentState => ({
  personId: r.person_id,
  presence: r.presence,
  presenceSince: Number(r.presence_since),
  idleSince: Number(r.idle_since),
  autoAnswer: Number(r.auto_answer) === 1,
})

/** Conversations an agent holds: accepted and open, plus those alerting them (R2). */
const LOAD = `(
  (SELECT count(*) FROM conversations h WHERE h.assigned_agent_id = a.person_id AND h.state = 'open') +
  (SELECT count(*) FROM alerts x WHERE x.person_id = a.person_id))`

/** Agents who can take one more conversation now: on queue, active, below capacity. */
const FREE_AGENTS = `
  SELECT a.person_id, a.idle_since, a.auto_answer FROM agents a JOIN people p ON p.id = a.person_id
  WHERE a.presence = 'on_queue' AND p.deactivated_at IS NULL AND ${LOAD} < p.message_capacity`

/** Waiting: open, routed, nobody holds it, nobody is being offered it. */
const WAITING = `c.state = 'open' AND c.assigned_agent_id IS NULL AND c.routed_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM alerts w WHERE w.conversation_id = c.id)`

/** The longest-idle free agent who can take conversation `c`: its preferred agent, or a member of its queue who has not declined it. */
const TAKER = `(
  SELECT f.person_id FROM free f
  WHERE c.preferred_agent_id = f.person_id OR (c.preferred_agent_id IS NULL
    AND EXISTS (SELECT 1 FROM queue_members m WHERE m.queue_id = c.queue_id AND m.person_id = f.person_id)
    AND NOT EXISTS (SELECT 1 FROM routing_declines d WHERE d.conversation_id = c.id AND d.person_id = f.person_id))
  ORDER BY f.idle_since, f.person_id LIMIT 1)`

/**
 * R3: the oldest waiting conversation that someone can take, and who. Walks the waiting
 * conversations in age order (the conversations_waiting index) and stops at the first with a
 * taker, so its cost follows how far down the first takeable one is, not waiting × agents.
 */
const NEXT_MATCH = `
  WITH free AS MATERIALIZED (${FREE_AGENTS})
  SELECT c.id AS conversation_id, ${TAKER} AS person_id
  FROM conversations c
  WHERE ${WAITING} AND ${TAKER} IS NOT NULL
  ORDER BY c.waiting_since, c.id
  LIMIT 1`

interface ConversationLockRow {
  id: string
  state: 'open' | 'ended'
  queue_id: string
  assigned_agent_id: string | null
  preferred_agent_id: string | null
  routed_at: number | null
  ended_at: number | null
}

function* lockConversation(id: string, lock: 'update' | 'skip locked' = 'update'): Unit<ConversationLockRow | null> {
  return yield* one<ConversationLockRow>('SELECT id, state, queue_id, assigned_agent_id, preferred_agent_id, routed_at, ended_at FROM conversations WHERE id = ?', [id], lock)
}

/** Locks the agent's row (made Offline when they have none yet) and reads whether they can take one more. */
function* lockAgent(personId: string, at: number): Unit<{ agent: AgentState; load: number; capacity: number; active: boolean } | null> {
  const person = yield* one<{ message_capacity: number; deactivated_at: number | null }>('SELECT message_capacity, deactivated_at FROM people WHERE id = ?', [personId])
  if (!person) return null
  yield* run("INSERT INTO agents (person_id, presence, presence_since, idle_since, auto_answer) VALUES (?, 'offline', ?, ?, 0) ON CONFLICT (person_id) DO NOTHING", [personId, at, at])
  const agent = toAgent((yield* one<AgentRow>('SELECT person_id, presence, presence_since, idle_since, auto_answer FROM agents WHERE person_id = ?', [personId], 'update'))!)
  const load = yield* one<{ n: number }>(`SELECT ${LOAD} AS n FROM agents a WHERE a.person_id = ?`, [personId])
  return { agent, load: Number(load!.n), capacity: Number(person.message_capacity), active: person.deactivated_at === null }
}

interface EventInput {
  kind: RoutingEvent['kind']
  queueId?: string | null
  personId?: string | null
  byPersonId?: string | null
  wrapUpCode?: string | null
  automatic?: boolean
}

/**
 * Records a step with the names as they are now, and (I2) a delivery of each event it makes to
 * each subscription that wants it — in the same transaction, so an event exists exactly when its
 * step does.
 */
function* record(conversationId: string, at: number, event: EventInput): Unit<void> {
  // Every step names the queue the conversation is in, unless it names another (a transfer).
  const queueId = event.queueId ?? (yield* one<{ queue_id: string }>('SELECT queue_id FROM conversations WHERE id = ?', [conversationId]))?.queue_id ?? null
  const row = yield* one<{ id: number }>(
    `INSERT INTO routing_events (conversation_id, at, kind, queue_id, queue_name, person_id, person_name, by_person_id, by_name, wrap_up_code, automatic)
     VALUES (?, ?, ?, ?, (SELECT name FROM queues WHERE id = ?), ?, (SELECT name FROM people WHERE id = ?), ?, (SELECT name FROM people WHERE id = ?), ?, ?)
     RETURNING id`,
    [
      conversationId, at, event.kind, queueId, queueId, event.personId ?? null, event.personId ?? null,
      event.byPersonId ?? null, event.byPersonId ?? null, event.wrapUpCode ?? null, event.automatic ? 1 : 0,
    ],
  )
  for (const type of EVENT_TYPES_OF_STEP[event.kind] ?? []) {
    yield* run(
      `INSERT INTO event_deliveries (subscription_id, event_id, event_type, routing_event_id, created_at, next_attempt_at)
       SELECT s.id, ?, ?, ?, ?, ? FROM event_subscriptions s JOIN event_subscription_types t ON t.subscription_id = s.id
       WHERE s.enabled = 1 AND t.type = ?`,
      [eventIdOf(Number(row!.id), type), type, Number(row!.id), at, at, type],
    )
  }
}

/** Gives the conversation to an agent (Accept, Auto-answer, an assignment): it stops waiting. */
function* hand(conversationId: string, personId: string, at: number): Unit<void> {
  yield* run('DELETE FROM alerts WHERE conversation_id = ?', [conversationId])
  yield* run('DELETE FROM routing_declines WHERE conversation_id = ?', [conversationId])
  yield* run('UPDATE conversations SET assigned_agent_id = ?, preferred_agent_id = NULL, waiting_since = NULL, routed_at = coalesce(routed_at, ?), ended_at = NULL WHERE id = ?', [personId, at, conversationId])
}

/** Puts it back to wait in a queue, offered afresh (a transfer). */
function* requeue(conversationId: string, queueId: string, preferredAgentId: string | null, at: number): Unit<void> {
  yield* run('DELETE FROM alerts WHERE conversation_id = ?', [conversationId])
  yield* run('DELETE FROM routing_declines WHERE conversation_id = ?', [conversationId])
  yield* run('UPDATE conversations SET queue_id = ?, assigned_agent_id = NULL, preferred_agent_id = ?, waiting_since = ?, routed_at = ? WHERE id = ?', [queueId, preferredAgentId, at, at, conversationId])
}

const refused = (reason: Extract<Decision, { ok: false }>['reason']): Decision => ({ ok: false, reason })
const done: Decision = { ok: true }

/** The outcome of one try at an offer; `retry` when what was matched changed before it was locked. */
type OfferStep = Offer | 'none' | 'retry'

function* offerOnce(at: number): Unit<OfferStep> {
  // A preferred agent who cannot take it now gives way to the queue (R4: "otherwise to the queue").
  yield* run(
    `UPDATE conversations SET preferred_agent_id = NULL
     WHERE preferred_agent_id IS NOT NULL AND state = 'open' AND assigned_agent_id IS NULL AND routed_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM alerts w WHERE w.conversation_id = conversations.id)
       AND preferred_agent_id NOT IN (SELECT person_id FROM (${FREE_AGENTS}) f)`,
  )
  const match = yield* one<{ conversation_id: string; person_id: string }>(NEXT_MATCH)
  if (!match) return 'none'
  const conversation = yield* lockConversation(match.conversation_id)
  if (!conversation || conversation.state !== 'open' || conversation.assigned_agent_id !== null) return 'retry'
  if (yield* one('SELECT conversation_id FROM alerts WHERE conversation_id = ?', [conversation.id])) return 'retry'
  const agent = yield* lockAgent(match.person_id, at)
  if (!agent || !agent.active || agent.agent.presence !== 'on_queue' || agent.load >= agent.capacity) return 'retry'
  yield* run('UPDATE agents SET idle_since = ? WHERE person_id = ?', [Math.max(at, agent.agent.idleSince), match.person_id])
  if (agent.agent.autoAnswer) {
    yield* hand(conversation.id, match.person_id, at)
    yield* record(conversation.id, at, { kind: 'accepted', personId: match.person_id, automatic: true })
    return { kind: 'accepted', conversationId: conversation.id, personId: match.person_id, expiresAt: null }
  }
  const timeout = yield* one<{ alert_timeout_s: number }>('SELECT alert_timeout_s FROM queues WHERE id = ?', [conversation.queue_id])
  const expiresAt = at + Number(timeout?.alert_timeout_s ?? 30) * 1000
  yield* run('INSERT INTO alerts (conversation_id, person_id, offered_at, expires_at) VALUES (?, ?, ?, ?)', [conversation.id, match.person_id, at, expiresAt])
  yield* record(conversation.id, at, { kind: 'alerted', queueId: conversation.queue_id, personId: match.person_id })
  return { kind: 'alerted', conversationId: conversation.id, personId: match.person_id, expiresAt }
}

export interface EventRow {
  id: number
  conversation_id: string
  at: number
  kind: RoutingEvent['kind']
  queue_id: string | null
  queue_name: string | null
  person_id: string | null
  person_name: string | null
  by_person_id: string | null
  by_name: string | null
  wrap_up_code: string | null
  automatic: number
}

export const toEvent = (r: EventRow): RoutingEvent => ({
  id: Number(r.id),
  conversationId: r.conversation_id,
  at: Number(r.at),
  kind: r.kind,
  queueId: r.queue_id,
  queueName: r.queue_name,
  personId: r.person_id,
  personName: r.person_name,
  byPersonId: r.by_person_id,
  byName: r.by_name,
  wrapUpCode: r.wrap_up_code,
  automatic: Number(r.automatic) === 1,
})

interface AlertRow {
  conversation_id: string
  person_id: string
  queue_id: string
  queue_name: string
  offered_at: number
  expires_at: number
}

const ALERT_SELECT = `
  SELECT x.conversation_id, x.person_id, c.queue_id, q.name AS queue_name, x.offered_at, x.expires_at
  FROM alerts x JOIN conversations c ON c.id = x.conversation_id JOIN queues q ON q.id = c.queue_id`

const toAlert = (r: AlertRow): StoredAlert => ({
  conversationId: r.conversation_id,
  personId: r.person_id,
  queueId: r.queue_id,
  queueName: r.queue_name,
  offeredAt: Number(r.offered_at),
  expiresAt: Number(r.expires_at),
})

const id = (value: unknown, what: string) => parseInput(ids.id, value, what)
const epoch = (value: unknown, what: string) => parseInput(ids.epochMs, value, what)

export function createRoutingRepository(runner: UnitRunner): RoutingRepository {
  return {
    async agent(personId) {
      const target = id(personId, 'routing.agent: personId')
      return runner.run(function* () {
        const row = yield* one<AgentRow>('SELECT person_id, presence, presence_since, idle_since, auto_answer FROM agents WHERE person_id = ?', [target])
        return row ? toAgent(row) : null
      })
    },

    async setPresence(personId, presence, at) {
      const target = id(personId, 'routing.setPresence: personId')
      const when = epoch(at, 'routing.setPresence: at')
      return runner.run(function* () {
        // Going on queue makes the agent idle from now; staying in a presence keeps its start.
        yield* run(
          `INSERT INTO agents (person_id, presence, presence_since, idle_since, auto_answer) VALUES (?, ?, ?, ?, 0)
           ON CONFLICT (person_id) DO UPDATE SET
             presence_since = CASE WHEN agents.presence = excluded.presence THEN agents.presence_since ELSE excluded.presence_since END,
             idle_since = CASE WHEN excluded.presence = 'on_queue' AND agents.presence <> 'on_queue' THEN excluded.idle_since ELSE agents.idle_since END,
             presence = excluded.presence`,
          [target, presence, when, when],
        )
        return toAgent((yield* one<AgentRow>('SELECT person_id, presence, presence_since, idle_since, auto_answer FROM agents WHERE person_id = ?', [target]))!)
      })
    },

    async setAutoAnswer(personId, on, at) {
      const target = id(personId, 'routing.setAutoAnswer: personId')
      const when = epoch(at, 'routing.setAutoAnswer: at')
      return runner.run(function* () {
        yield* run(
          `INSERT INTO agents (person_id, presence, presence_since, idle_since, auto_answer) VALUES (?, 'offline', ?, ?, ?)
           ON CONFLICT (person_id) DO UPDATE SET auto_answer = excluded.auto_answer`,
          [target, when, when, on ? 1 : 0],
        )
        return toAgent((yield* one<AgentRow>('SELECT person_id, presence, presence_since, idle_since, auto_answer FROM agents WHERE person_id = ?', [target]))!)
      })
    },

    async unrouted(limit) {
      return runner.run(function* () {
        const rows = yield* all<{ id: string }>('SELECT id FROM conversations WHERE routed_at IS NULL ORDER BY created_at, id LIMIT ?', [limit])
        return rows.map((r) => r.id)
      })
    },

    async route(conversationId, queueId, at, threadingWindowMs) {
      const target = id(conversationId, 'routing.route: conversationId')
      const queue = id(queueId, 'routing.route: queueId')
      const when = epoch(at, 'routing.route: at')
      return runner.run(function* () {
        const conversation = yield* lockConversation(target)
        if (!conversation) return refused('no_conversation')
        // Another node routed it first, or it is held or over: nothing to do.
        if (conversation.routed_at !== null || conversation.state !== 'open' || conversation.assigned_agent_id !== null) return done
        if (!(yield* one('SELECT id FROM queues WHERE id = ?', [queue]))) return refused('no_queue')
        // R4: back to the last agent only within the threading window after the conversation ended.
        const withinWindow = conversation.ended_at !== null && when - Number(conversation.ended_at) <= threadingWindowMs
        const preferred = withinWindow ? conversation.preferred_agent_id : null
        yield* run('UPDATE conversations SET queue_id = ?, routed_at = ?, waiting_since = coalesce(waiting_since, ?), preferred_agent_id = ?, ended_at = NULL WHERE id = ?', [queue, when, when, preferred, target])
        yield* record(target, when, { kind: 'routed', queueId: queue })
        return done
      })
    },

    async offerNext(at) {
      const when = epoch(at, 'routing.offerNext: at')
      // What was matched may change before it is locked (another node); a few fresh tries settle it.
      for (let attempt = 0; attempt < 20; attempt++) {
        const step = await runner.run(() => offerOnce(when))
        if (step === 'none') return null
        if (step !== 'retry') return step
      }
      return null
    },

    async accept(conversationId, personId, at) {
      const target = id(conversationId, 'routing.accept: conversationId')
      const person = id(personId, 'routing.accept: personId')
      const when = epoch(at, 'routing.accept: at')
      return runner.run(function* () {
        if (!(yield* lockConversation(target))) return refused('no_conversation')
        const alert = yield* one<{ person_id: string; expires_at: number }>('SELECT person_id, expires_at FROM alerts WHERE conversation_id = ?', [target])
        if (!alert || alert.person_id !== person || Number(alert.expires_at) < when) return refused('not_offered')
        yield* hand(target, person, when)
        yield* record(target, when, { kind: 'accepted', personId: person })
        return done
      })
    },

    async decline(conversationId, personId, at) {
      const target = id(conversationId, 'routing.decline: conversationId')
      const person = id(personId, 'routing.decline: personId')
      const when = epoch(at, 'routing.decline: at')
      return runner.run(function* () {
        if (!(yield* lockConversation(target))) return refused('no_conversation')
        const alert = yield* one<{ person_id: string }>('SELECT person_id FROM alerts WHERE conversation_id = ?', [target])
        if (!alert || alert.person_id !== person) return refused('not_offered')
        yield* run('DELETE FROM alerts WHERE conversation_id = ?', [target])
        yield* run('INSERT INTO routing_declines (conversation_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [target, person])
        yield* run('UPDATE conversations SET preferred_agent_id = NULL WHERE id = ?', [target])
        yield* record(target, when, { kind: 'declined', personId: person })
        return done
      })
    },

    async expireNext(at) {
      const when = epoch(at, 'routing.expireNext: at')
      return runner.run(function* () {
        // Any node takes any expired alert; one another node is deciding on right now is skipped.
        const due = yield* all<{ conversation_id: string }>('SELECT conversation_id FROM alerts WHERE expires_at <= ? ORDER BY expires_at, conversation_id LIMIT 10', [when])
        for (const { conversation_id: conversationId } of due) {
          if (!(yield* lockConversation(conversationId, 'skip locked'))) continue
          const alert = yield* one<{ person_id: string; expires_at: number }>('SELECT person_id, expires_at FROM alerts WHERE conversation_id = ?', [conversationId])
          if (!alert || Number(alert.expires_at) > when) continue
          yield* run('DELETE FROM alerts WHERE conversation_id = ?', [conversationId])
          yield* run('UPDATE conversations SET preferred_agent_id = NULL WHERE id = ?', [conversationId])
          yield* run("UPDATE agents SET presence = 'not_responding', presence_since = ? WHERE person_id = ? AND presence <> 'not_responding'", [when, alert.person_id])
          yield* record(conversationId, when, { kind: 'not_responding', personId: alert.person_id })
          return { conversationId, personId: alert.person_id }
        }
        return null
      })
    },

    async transfer(conversationId, to, at, byPersonId) {
      const target = id(conversationId, 'routing.transfer: conversationId')
      const when = epoch(at, 'routing.transfer: at')
      const by = byPersonId === null ? null : id(byPersonId, 'routing.transfer: byPersonId')
      return runner.run(function* () {
        const conversation = yield* lockConversation(target)
        if (!conversation) return refused('no_conversation')
        if (conversation.state !== 'open') return refused('ended')
        if ('queueId' in to) {
          const queue = id(to.queueId, 'routing.transfer: queueId')
          if (!(yield* one('SELECT id FROM queues WHERE id = ?', [queue]))) return refused('no_queue')
          yield* requeue(target, queue, null, when)
          yield* record(target, when, { kind: 'transferred_to_queue', queueId: queue, byPersonId: by })
          return done
        }
        const person = id(to.personId, 'routing.transfer: personId')
        if (conversation.assigned_agent_id === person) return refused('already_theirs')
        const agent = yield* lockAgent(person, when)
        if (!agent || !agent.active) return refused('no_person')
        if (agent.agent.presence !== 'on_queue') return refused('not_on_queue')
        if (agent.load >= agent.capacity) return refused('at_capacity')
        // Blind: it waits in its queue, offered to that person first; declined or unanswered, to the queue.
        yield* requeue(target, conversation.queue_id, person, when)
        yield* record(target, when, { kind: 'transferred_to_person', personId: person, byPersonId: by })
        return done
      })
    },

    async assign(conversationId, personId, at, byPersonId) {
      const target = id(conversationId, 'routing.assign: conversationId')
      const person = id(personId, 'routing.assign: personId')
      const when = epoch(at, 'routing.assign: at')
      const by = byPersonId === null ? null : id(byPersonId, 'routing.assign: byPersonId')
      return runner.run(function* () {
        const conversation = yield* lockConversation(target)
        if (!conversation) return refused('no_conversation')
        if (conversation.state !== 'open') return refused('ended')
        if (conversation.assigned_agent_id === person) return refused('already_theirs')
        const agent = yield* lockAgent(person, when)
        if (!agent || !agent.active) return refused('no_person')
        // Their own alert for this conversation becomes the assignment: it does not count twice.
        const alerting = (yield* one<{ person_id: string }>('SELECT person_id FROM alerts WHERE conversation_id = ?', [target]))?.person_id === person
        if (agent.load - (alerting ? 1 : 0) >= agent.capacity) return refused('at_capacity')
        yield* hand(target, person, when)
        yield* record(target, when, { kind: 'assigned', personId: person, byPersonId: by })
        return done
      })
    },

    async end(conversationId, byPersonId, wrapUpCode, at) {
      const target = id(conversationId, 'routing.end: conversationId')
      const by = id(byPersonId, 'routing.end: byPersonId')
      const when = epoch(at, 'routing.end: at')
      return runner.run(function* () {
        const conversation = yield* lockConversation(target)
        if (!conversation) return refused('no_conversation')
        if (conversation.state !== 'open') return refused('ended')
        const queue = yield* one<{ after_work: string; wrap_up_codes: string }>('SELECT after_work, wrap_up_codes FROM queues WHERE id = ?', [conversation.queue_id])
        const codes = queue ? (JSON.parse(queue.wrap_up_codes) as string[]) : []
        const code = wrapUpCode === null ? null : codes.find((c) => c.toLowerCase() === wrapUpCode.trim().toLowerCase())
        if (wrapUpCode !== null && !code) return refused('unknown_wrap_up_code')
        if (queue?.after_work === 'mandatory' && !code) return refused('wrap_up_required')
        yield* run('DELETE FROM alerts WHERE conversation_id = ?', [target])
        yield* run('DELETE FROM routing_declines WHERE conversation_id = ?', [target])
        // The agent stays as the last one (R4); the capacity is free again.
        yield* run("UPDATE conversations SET state = 'ended', ended_at = ?, wrap_up_code = ?, waiting_since = NULL, preferred_agent_id = NULL WHERE id = ?", [when, code ?? null, target])
        yield* record(target, when, { kind: 'ended', personId: conversation.assigned_agent_id, byPersonId: by, wrapUpCode: code ?? null })
        return done
      })
    },

    async alertsFor(personId) {
      const person = id(personId, 'routing.alertsFor: personId')
      return runner.run(function* () {
        return (yield* all<AlertRow>(`${ALERT_SELECT} WHERE x.person_id = ? ORDER BY x.offered_at, x.conversation_id`, [person])).map(toAlert)
      })
    },

    async alert(conversationId) {
      const target = id(conversationId, 'routing.alert: conversationId')
      return runner.run(function* () {
        const row = yield* one<AlertRow>(`${ALERT_SELECT} WHERE x.conversation_id = ?`, [target])
        return row ? toAlert(row) : null
      })
    },

    async nextExpiry() {
      return runner.run(function* () {
        const row = yield* one<{ at: number | null }>('SELECT min(expires_at) AS at FROM alerts')
        return row?.at === null || row?.at === undefined ? null : Number(row.at)
      })
    },

    async history(conversationId) {
      const target = id(conversationId, 'routing.history: conversationId')
      return runner.run(function* () {
        return (yield* all<EventRow>('SELECT * FROM routing_events WHERE conversation_id = ? ORDER BY id', [target])).map(toEvent)
      })
    },

    async activity() {
      return runner.run(function* (): Unit<QueueActivity> {
        const queues = yield* all<{ id: string; name: string; waiting: number; interacting: number; longest: number | null; on_queue: number }>(`
          SELECT q.id, q.name,
            (SELECT count(*) FROM conversations c WHERE c.queue_id = q.id AND c.state = 'open' AND c.assigned_agent_id IS NULL) AS waiting,
            (SELECT count(*) FROM conversations c WHERE c.queue_id = q.id AND c.state = 'open' AND c.assigned_agent_id IS NOT NULL) AS interacting,
            (SELECT min(c.waiting_since) FROM conversations c WHERE c.queue_id = q.id AND c.state = 'open' AND c.assigned_agent_id IS NULL) AS longest,
            (SELECT count(*) FROM queue_members m JOIN agents a ON a.person_id = m.person_id JOIN people p ON p.id = m.person_id
              WHERE m.queue_id = q.id AND a.presence = 'on_queue' AND p.deactivated_at IS NULL) AS on_queue
          FROM queues q ORDER BY lower(q.name), q.id`)
        const agents = yield* all<{ person_id: string; name: string; presence: Presence; presence_since: number; load: number; capacity: number }>(`
          SELECT a.person_id, p.name, a.presence, a.presence_since, ${LOAD} AS load, p.message_capacity AS capacity
          FROM agents a JOIN people p ON p.id = a.person_id WHERE p.deactivated_at IS NULL ORDER BY lower(p.name), a.person_id`)
        return {
          queues: queues.map((q) => ({
            id: q.id, name: q.name, waiting: Number(q.waiting), interacting: Number(q.interacting),
            longestWaitingSince: numberOrNull(q.longest), agentsOnQueue: Number(q.on_queue),
          })),
          agents: agents.map((a) => ({ personId: a.person_id, name: a.name, presence: a.presence, presenceSince: Number(a.presence_since), conversations: Number(a.load), capacity: Number(a.capacity) })),
        }
      })
    },
  }
}
