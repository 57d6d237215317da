// R1–R6 on one node: routes conversations as they arrive, offers them, expires alerts, and carries
// out what people decide — each decision one transaction in the store (see store/routing), so any
// number of nodes may do this at once. Timers are rows: every node expires whatever alert is due,
// so an alert outlives the node that made it; a short sweep catches what a dead node left undone.
import { describeError, type Logger } from '../app/logger.ts'
import type { Actor } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import type { Audience } from '../contract/eventHub.ts'
import type { EventName, EventPayload } from '../contract/events.ts'
import { iso } from '../contract/isoTime.ts'
import { THREADING_WINDOW_HOURS, type AlertView, type Presence, type PresenceView, type QueueActivityView } from '../contract/routing.ts'
import { createSerialQueue } from '../inbox/inbound/serial.ts'
import { isStoreError, MESSAGE_CAPACITY, type AgentState, type Decision, type Refusal, type Store, type TransferTarget } from '../store/index.ts'
import { chooseQueue, type ArrivingMessage } from './chooseQueue.ts'
import { presenceView, routingEventView } from './routingViews.ts'

/** How often each node looks for due alerts, and (every few times) for work a dead node left. */
export const SWEEP_MS = 1000
const SAFETY_SWEEP_EVERY = 5
/** A new conversation whose sender rules need the customer's username waits this long for their profile. */
const PROFILE_WAIT_MS = 5000
const HOUR = 3_600_000
export const THREADING_WINDOW_SETTING = 'routing.threadingWindowHours'
/** Matches no password: a workstation's person does not sign in. */
const NO_PASSWORD = 'none:this-person-never-signs-in'

export interface RoutingServiceDeps {
  store: Store
  log: Logger
  /** To windows on every node, each event to its audience. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>, audience?: Audience): void
  now?: () => number
  /** The integration's name, for its Default queue when it has none yet. */
  integrationName: (integrationId: string) => string | null
  /** A single workstation: its one person is a member of every Default queue and answers automatically. */
  localAgent?: { id: string; name: string } | null
  timers?: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'>
}

export function createRoutingService(deps: RoutingServiceDeps) {
  const { store, log } = deps
  const now = deps.now ?? Date.now
  const timers = deps.timers ?? globalThis
  const work = createSerialQueue()
  let sweep: ReturnType<typeof setInterval> | null = null
  let sweeps = 0
  const expiryTimers = new Set<ReturnType<typeof setTimeout>>()
  let activityPending = false
  let stopped = false

  // While PostgreSQL is away every sweep fails alike: said once, and again once it works.
  let unreachable = false
  const fail = (what: string) => (error: unknown) => {
    if (isStoreError(error, 'store_unreachable')) {
      if (!unreachable) log.warn('routing waits for the database', describeError(error))
      unreachable = true
      return
    }
    log.error(`routing could not ${what}`, describeError(error))
  }

  async function personName(personId: string): Promise<string> {
    if (deps.localAgent?.id === personId) return deps.localAgent.name
    return (await store.people.get(personId))?.name ?? 'That person'
  }

  async function refusal(reason: Refusal, personId?: string): Promise<ParleyError> {
    const name = personId ? await personName(personId) : ''
    switch (reason) {
      case 'no_conversation': return new ParleyError('not_found', 'That conversation does not exist.')
      case 'ended': return new ParleyError('conflict', 'This conversation has ended.')
      case 'not_offered': return new ParleyError('conflict', 'This conversation is no longer offered to you.')
      case 'no_queue': return new ParleyError('not_found', 'That queue does not exist.')
      case 'no_person': return new ParleyError('not_found', 'That person does not exist or is deactivated.')
      case 'not_on_queue': return new ParleyError('conflict', `${name} is not on queue.`)
      case 'at_capacity': return new ParleyError('conflict', `${name} already holds as many conversations as their message capacity allows.`)
      case 'already_theirs': return new ParleyError('conflict', `${name} already holds this conversation.`)
      case 'wrap_up_required': return new ParleyError('wrap_up_required', 'Choose a wrap-up code: this queue requires one.')
      case 'unknown_wrap_up_code': return new ParleyError('invalid_input', 'That wrap-up code is not one of this queue’s.')
      case 'not_holding': return new ParleyError('forbidden', 'This conversation is not yours to end.')
    }
  }

  async function decided(decision: Decision, personId?: string): Promise<void> {
    if (!decision.ok) throw await refusal(decision.reason, personId)
  }

  // ── What windows are told ──────────────────────────────────────────────────────────────────────

  async function alertsOf(personId: string): Promise<AlertView[]> {
    const alerts = await store.routing.alertsFor(personId)
    return Promise.all(
      alerts.map(async (alert) => {
        const conversation = await store.conversations.get(alert.conversationId)
        const participant = conversation ? await store.participants.get(conversation.igAccountId, conversation.customerIgsid) : null
        return {
          conversationId: alert.conversationId,
          customer: participant?.name ?? (participant?.username ? `@${participant.username}` : 'Instagram customer'),
          queueName: alert.queueName,
          firstMessage: conversation ? await arrivingText(conversation.id, conversation.waitingSince) : null,
          offeredAt: iso(alert.offeredAt),
          expiresAt: iso(alert.expiresAt),
        }
      }),
    )
  }

  /** The customer's first message since the conversation began waiting (as text, when it is text). */
  async function arrivingText(conversationId: string, since: number | null): Promise<string | null> {
    const recent = (await store.messages.page(conversationId, { limit: 50 })).filter((m) => m.direction === 'inbound')
    const first = recent.filter((m) => since === null || m.createdAt >= since).at(-1) ?? recent[0]
    return first?.kind === 'text' && first.withdrawnAt === null ? first.text : null
  }

  // Telling windows needs a few reads; it runs beside the routing work, and `idle` waits for it.
  const telling = new Set<Promise<void>>()
  const tell = (task: Promise<void>, what: string) => {
    const tracked = task.catch(fail(what)).finally(() => telling.delete(tracked))
    telling.add(tracked)
  }
  const tellAlerts = (personId: string) =>
    tell(alertsOf(personId).then((alerts) => deps.emit('routing.alerts', alerts, { people: [personId] })), 'tell an agent of their alerts')

  const tellConversation = (conversationId: string, ...people: (string | null | undefined)[]) =>
    deps.emit('inbox.changed', { conversationIds: [conversationId], newInbound: false }, { supervisors: true, people: people.filter((p): p is string => !!p) })

  const tellPresence = (agent: AgentState) => deps.emit('presence.changed', presenceView(agent), { supervisors: true, people: [agent.personId] })

  /** R6: supervisors' Queue activity follows every change, at most a few times a second. */
  function tellActivity() {
    if (activityPending) return
    activityPending = true
    timers.setTimeout(() => {
      activityPending = false
      tell(activity().then((view) => deps.emit('routing.activity', view, { supervisors: true })), 'tell supervisors of queue activity')
    }, 200)
  }

  // ── Routing work ───────────────────────────────────────────────────────────────────────────────

  async function threadingWindowMs(): Promise<number> {
    const hours = (await store.settings.all())[THREADING_WINDOW_SETTING]
    return (typeof hours === 'number' ? hours : THREADING_WINDOW_HOURS.default) * HOUR
  }

  /** R1: new and reopened conversations into their queues. `force` routes even without the sender's profile. */
  async function routePending(force: boolean): Promise<number> {
    const pending = await store.routing.unrouted(100)
    if (pending.length === 0) return 0
    const windowMs = await threadingWindowMs()
    let routed = 0
    for (const conversationId of pending) {
      const conversation = await store.conversations.get(conversationId)
      if (!conversation || conversation.routedAt !== null) continue
      const rules = (await store.queues.rules(conversation.integrationId)) ?? (await defaultQueue(conversation.integrationId))
      const participant = await store.participants.get(conversation.igAccountId, conversation.customerIgsid)
      const waitedMs = now() - (conversation.waitingSince ?? conversation.createdAt)
      if (!participant && rules.rules.some((r) => r.kind === 'sender') && !force && waitedMs < PROFILE_WAIT_MS) continue
      const message = await arrivingMessage(conversationId, conversation.waitingSince, participant?.username ?? null)
      const queueId = chooseQueue(rules, message)
      const decision = await store.routing.route(conversationId, queueId, now(), windowMs)
      if (!decision.ok) {
        // A rule naming a queue that is gone: the Default queue rather than nowhere.
        await store.routing.route(conversationId, rules.defaultQueueId, now(), windowMs)
      }
      log.info('conversation routed', { integration: conversation.integrationId, conversationId, queueId: decision.ok ? queueId : rules.defaultQueueId })
      routed++
      tellConversation(conversationId)
    }
    return routed
  }

  /** An integration whose first conversation arrived before its Default queue was made (another node created it a moment ago). */
  async function defaultQueue(integrationId: string) {
    const queue = await store.queues.ensureDefault(integrationId, deps.integrationName(integrationId) ?? 'Default queue', now(), deps.localAgent ? [deps.localAgent.id] : [])
    return { defaultQueueId: queue.id, rules: [] }
  }

  async function arrivingMessage(conversationId: string, since: number | null, senderUsername: string | null): Promise<ArrivingMessage> {
    const inbound = (await store.messages.page(conversationId, { limit: 50 })).filter((m) => m.direction === 'inbound' && (since === null || m.createdAt >= since))
    return {
      text: inbound.map((m) => m.text ?? '').join('\n') || null,
      senderUsername,
      hasAttachment: inbound.some((m) => (m.attachments?.length ?? 0) > 0 || m.kind === 'attachment' || m.kind === 'share'),
    }
  }

  /** R3: offers until nobody can take anything more. */
  async function dispatch(): Promise<void> {
    for (;;) {
      const offer = await store.routing.offerNext(now())
      if (!offer) break
      log.info('conversation offered', { conversationId: offer.conversationId, personId: offer.personId, kind: offer.kind })
      if (offer.kind === 'alerted') {
        tellAlerts(offer.personId)
        expireAt(offer.expiresAt!)
      } else {
        tellConversation(offer.conversationId, offer.personId)
      }
      tellActivity()
    }
  }

  function expireAt(at: number) {
    const timer = timers.setTimeout(() => {
      expiryTimers.delete(timer)
      void run(expireDue)
    }, Math.max(0, at - now()) + 5)
    expiryTimers.add(timer)
  }

  /** R3: alerts nobody answered in time, whichever node made them. */
  async function expireDue(): Promise<void> {
    let expired = false
    for (;;) {
      const gone = await store.routing.expireNext(now())
      if (!gone) break
      expired = true
      tellAlerts(gone.personId)
      const agent = await store.routing.agent(gone.personId)
      if (agent) tellPresence(agent)
      tellConversation(gone.conversationId)
    }
    if (expired) {
      tellActivity()
      await dispatch()
    }
  }

  /** One piece of routing work at a time on this node (other nodes may work at the same moment). */
  const run = (task: () => Promise<unknown>) => work.run(async () => {
    if (stopped) return
    await task()
    unreachable = false
  }).catch(fail('finish its work'))

  /** Something happened that may route or offer a conversation. */
  // Under load many arrivals come while routing is busy: one pass not yet started covers them all.
  let queuedSettle: { force: boolean; done: Promise<void> } | null = null
  const settle = (force = false): Promise<void> => {
    if (queuedSettle) {
      queuedSettle.force ||= force
      return queuedSettle.done
    }
    const next: { force: boolean; done: Promise<void> } = { force, done: Promise.resolve() }
    queuedSettle = next
    next.done = run(async () => {
      queuedSettle = null
      if ((await routePending(next.force)) > 0) tellActivity()
      await dispatch()
    })
    return next.done
  }

  async function activity(): Promise<QueueActivityView> {
    const snapshot = await store.routing.activity()
    return {
      queues: snapshot.queues.map((q) => ({ ...q, longestWaitingSince: q.longestWaitingSince === null ? null : iso(q.longestWaitingSince) })),
      agents: snapshot.agents.map((a) => ({ ...a, presenceSince: iso(a.presenceSince) })),
    }
  }

  /** Waits for the work queued so far and what it tells windows (tests, shutdown). */
  async function idle(): Promise<void> {
    await work.run(async () => undefined)
    while (telling.size > 0) await Promise.all([...telling])
  }

  async function ensureDefaultQueues(integrations: { id: string; name: string }[]): Promise<void> {
    const members = deps.localAgent ? [deps.localAgent.id] : []
    for (const integration of integrations) await store.queues.ensureDefault(integration.id, integration.name, now(), members)
  }

  async function agentOf(personId: string): Promise<AgentState> {
    return (await store.routing.agent(personId)) ?? (await store.routing.setPresence(personId, 'offline', now()))
  }

  return {
    /** Makes sure every integration has its Default queue (and, on a workstation, its one agent), then starts the sweep. */
    async start(integrations: { id: string; name: string }[]): Promise<void> {
      await ensureDefaultQueues(integrations)
      const local = deps.localAgent
      if (local && !(await store.people.get(local.id))) {
        // A workstation's one person holds its whole inbox: the most conversations a person may hold,
        // on queue and answering automatically until they say otherwise. They never sign in.
        await store.people.create({ id: local.id, username: local.id, name: local.name, role: 'supervisor', messageCapacity: MESSAGE_CAPACITY.max, passwordHash: NO_PASSWORD }, now())
        await store.routing.setPresence(local.id, 'on_queue', now())
        await store.routing.setAutoAnswer(local.id, true, now())
      }
      sweep = timers.setInterval(() => {
        const safety = ++sweeps % SAFETY_SWEEP_EVERY === 0
        void run(async () => {
          await expireDue()
          if (safety) {
            await routePending(true)
            await dispatch()
          }
        })
      }, SWEEP_MS)
      settle(true)
    },

    ensureDefaultQueues,

    /** A customer wrote, or their profile arrived: route and offer what waits. */
    arrived: () => settle(),
    idle,

    async presence(actor: Actor): Promise<PresenceView> {
      return presenceView(await agentOf(actor.personId))
    },

    async setPresence(actor: Actor, presence: Presence): Promise<PresenceView> {
      const agent = await store.routing.setPresence(actor.personId, presence, now())
      tellPresence(agent)
      tellActivity()
      if (presence === 'on_queue') await settle()
      return presenceView(agent)
    },

    async setAutoAnswer(actor: Actor, on: boolean): Promise<PresenceView> {
      const agent = await store.routing.setAutoAnswer(actor.personId, on, now())
      tellPresence(agent)
      return presenceView(agent)
    },

    alerts: (actor: Actor) => alertsOf(actor.personId),

    async accept(actor: Actor, conversationId: string): Promise<void> {
      await decided(await store.routing.accept(conversationId, actor.personId, now()))
      tellAlerts(actor.personId)
      tellConversation(conversationId, actor.personId)
      tellActivity()
    },

    async decline(actor: Actor, conversationId: string): Promise<void> {
      await decided(await store.routing.decline(conversationId, actor.personId, now()))
      tellAlerts(actor.personId)
      tellConversation(conversationId)
      tellActivity()
      await settle()
    },

    /** R5: blind transfer. The one who held it is told it left them. */
    async transfer(actor: Actor, conversationId: string, to: TransferTarget): Promise<void> {
      const before = await store.conversations.get(conversationId)
      await decided(await store.routing.transfer(conversationId, to, now(), actor.personId), 'personId' in to ? to.personId : undefined)
      tellConversation(conversationId, before?.assignedAgentId)
      tellActivity()
      await settle()
    },

    /** A supervisor's Assign to…, through the same engine; `null` sends it back to its queue. */
    async assign(actor: Actor, conversationId: string, personId: string | null): Promise<void> {
      const before = await store.conversations.get(conversationId)
      if (!before) throw await refusal('no_conversation')
      if (personId === null) await decided(await store.routing.transfer(conversationId, { queueId: before.queueId }, now(), actor.personId))
      else await decided(await store.routing.assign(conversationId, personId, now(), actor.personId), personId)
      tellConversation(conversationId, before.assignedAgentId, personId)
      tellActivity()
      await settle()
    },

    /** R5: End conversation, with a wrap-up code of its queue. Frees the agent's capacity. */
    async end(actor: Actor, conversationId: string, wrapUpCode: string | null): Promise<void> {
      const before = await store.conversations.get(conversationId)
      await decided(await store.routing.end(conversationId, actor.personId, wrapUpCode, now()))
      tellConversation(conversationId, before?.assignedAgentId)
      tellActivity()
      await settle()
    },

    history: async (conversationId: string) => (await store.routing.history(conversationId)).map(routingEventView),
    activity,
    threadingWindowHours: async () => (await threadingWindowMs()) / HOUR,
    async setThreadingWindowHours(hours: number): Promise<number> {
      await store.settings.set(THREADING_WINDOW_SETTING, hours)
      return hours
    },

    async stop(): Promise<void> {
      stopped = true
      if (sweep) timers.clearInterval(sweep)
      for (const timer of expiryTimers) timers.clearTimeout(timer)
      expiryTimers.clear()
      await idle()
    },
  }
}

export type RoutingService = ReturnType<typeof createRoutingService>
