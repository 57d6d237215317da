import { z } from 'zod'
import { PRESENCES } from './presences.ts'

// Payloads of the routing commands (R1–R6): queues and their rules, presence, alerts, transfer and
// wrap-up, queue activity, and the routing history shown in a thread.

export { CHOOSABLE_PRESENCES, PRESENCES, type ChoosablePresence, type Presence } from './presences.ts'

/** R1: what ending a conversation asks for. */
export const AFTER_WORK = ['none', 'optional', 'mandatory'] as const
export type AfterWork = (typeof AFTER_WORK)[number]

/** R1: seconds an alert waits for Accept before the next agent is tried. */
export const ALERT_TIMEOUT = { min: 7, max: 900, default: 30 } as const

/** R4: hours after a conversation ended within which the customer returns to it and to their agent. */
export const THREADING_WINDOW_HOURS = { min: 1, max: 720, default: 72 } as const

export const RULE_KINDS = ['contains', 'sender', 'attachment'] as const

const id = z.string().trim().min(1).max(200)
const words = z.array(z.string().trim().min(1, 'Leave no entry empty.').max(100, 'Keep each entry under 100 characters.')).min(1, 'Add at least one entry.').max(50, 'Use at most 50 entries.')

export const QueueName = z.string().trim().min(1, 'Enter the queue’s name.').max(100, 'Keep the name under 100 characters.')
export const AlertTimeout = z
  .number()
  .int('Use a whole number of seconds.')
  .min(ALERT_TIMEOUT.min, `Use ${ALERT_TIMEOUT.min} to ${ALERT_TIMEOUT.max} seconds.`)
  .max(ALERT_TIMEOUT.max, `Use ${ALERT_TIMEOUT.min} to ${ALERT_TIMEOUT.max} seconds.`)
export const WrapUpCodes = z
  .array(z.string().trim().min(1, 'Leave no wrap-up code empty.').max(100, 'Keep each wrap-up code under 100 characters.'))
  .max(50, 'Use at most 50 wrap-up codes.')
  .refine((codes) => new Set(codes.map((c) => c.toLowerCase())).size === codes.length, 'Each wrap-up code once.')

const QueueFields = z
  .object({
    name: QueueName,
    memberIds: z.array(id).max(1000).default([]),
    alertTimeoutSeconds: AlertTimeout.default(ALERT_TIMEOUT.default),
    wrapUpCodes: WrapUpCodes.default([]),
    afterWork: z.enum(AFTER_WORK).default('optional'),
  })
  .strict()
const mandatoryHasCodes = (q: { afterWork: AfterWork; wrapUpCodes: string[] }) => q.afterWork !== 'mandatory' || q.wrapUpCodes.length > 0
const mandatoryHasCodesError = { message: 'A queue whose wrap-up is mandatory needs at least one wrap-up code.', path: ['wrapUpCodes'] }
export const QueueInput = QueueFields.refine(mandatoryHasCodes, mandatoryHasCodesError)
export type QueueInput = z.input<typeof QueueInput>
/** A queue's fields as main receives them (defaults applied). */
export type QueueFields = z.output<typeof QueueInput>
export const QueueUpdate = QueueFields.extend({ id }).refine(mandatoryHasCodes, mandatoryHasCodesError)

export const QueueView = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  alertTimeoutSeconds: z.number().int(),
  wrapUpCodes: z.array(z.string()),
  afterWork: z.enum(AFTER_WORK),
  /** The integration whose Default queue this is (it cannot be deleted while the integration exists). */
  defaultFor: z.string().nullable(),
})
export type QueueView = z.infer<typeof QueueView>

export const RoutingRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contains'), keywords: words, queueId: id }).strict(),
  z.object({ kind: z.literal('sender'), usernames: words, queueId: id }).strict(),
  z.object({ kind: z.literal('attachment'), queueId: id }).strict(),
])
export type RoutingRule = z.infer<typeof RoutingRule>

/** R1: an integration's rules, tried in order, then its Default queue. */
export const RoutingRules = z
  .object({ integrationId: id, defaultQueueId: id, rules: z.array(RoutingRule).max(100, 'Use at most 100 rules.') })
  .strict()
export type RoutingRules = z.infer<typeof RoutingRules>

export const PresenceView = z.object({
  personId: z.string(),
  presence: z.enum(PRESENCES),
  since: z.string(),
  autoAnswer: z.boolean(),
})
export type PresenceView = z.infer<typeof PresenceView>

/** R3: a conversation offered to this agent, waiting for Accept or Decline. */
export const AlertView = z.object({
  conversationId: z.string(),
  customer: z.string(),
  queueName: z.string(),
  /** The customer's first message in this conversation, as text; null for media or a story. */
  firstMessage: z.string().nullable(),
  offeredAt: z.string(),
  expiresAt: z.string(),
})
export type AlertView = z.infer<typeof AlertView>

export const ROUTING_EVENT_KINDS = ['routed', 'alerted', 'declined', 'not_responding', 'accepted', 'transferred_to_queue', 'transferred_to_person', 'assigned', 'ended'] as const
export type RoutingEventKind = (typeof ROUTING_EVENT_KINDS)[number]

/** One step of a conversation's routing, as its thread shows it. Names are as they were then. */
export const RoutingEventView = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(ROUTING_EVENT_KINDS),
  queueName: z.string().nullable(),
  personName: z.string().nullable(),
  /** Who did it, when a person did (a transfer, an assignment, an end). */
  byName: z.string().nullable(),
  wrapUpCode: z.string().nullable(),
  /** Accepted without a click (Auto-answer). */
  automatic: z.boolean(),
})
export type RoutingEventView = z.infer<typeof RoutingEventView>

/** R6: what a supervisor watches. */
export const QueueActivityView = z.object({
  queues: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      waiting: z.number().int(),
      interacting: z.number().int(),
      /** Since when the longest-waiting conversation waits; null when none waits. */
      longestWaitingSince: z.string().nullable(),
      agentsOnQueue: z.number().int(),
    }),
  ),
  agents: z.array(
    z.object({
      personId: z.string(),
      name: z.string(),
      presence: z.enum(PRESENCES),
      presenceSince: z.string(),
      conversations: z.number().int(),
      capacity: z.number().int(),
    }),
  ),
})
export type QueueActivityView = z.infer<typeof QueueActivityView>

export const TransferInput = z
  .object({
    conversationId: id,
    to: z.union([z.object({ queueId: id }).strict(), z.object({ personId: id }).strict()]),
  })
  .strict()

export const EndInput = z.object({ conversationId: id, wrapUpCode: z.string().trim().min(1).max(100).nullable().default(null) }).strict()

/** Where a conversation stands in routing, for the thread and the list. */
export const ROUTING_STATES = ['unrouted', 'waiting', 'alerting', 'interacting', 'ended'] as const
export type RoutingState = (typeof ROUTING_STATES)[number]

/** R5: where a conversation can be transferred. */
export const TransferTargets = z.object({
  queues: z.array(z.object({ id: z.string(), name: z.string() })),
  people: z.array(z.object({ id: z.string(), name: z.string(), presence: z.enum(PRESENCES) })),
})
export type TransferTargets = z.infer<typeof TransferTargets>

export const RoutingSettings = z
  .object({
    threadingWindowHours: z
      .number()
      .int('Use a whole number of hours.')
      .min(THREADING_WINDOW_HOURS.min, `Use ${THREADING_WINDOW_HOURS.min} to ${THREADING_WINDOW_HOURS.max} hours.`)
      .max(THREADING_WINDOW_HOURS.max, `Use ${THREADING_WINDOW_HOURS.min} to ${THREADING_WINDOW_HOURS.max} hours.`),
  })
  .strict()
export type RoutingSettings = z.infer<typeof RoutingSettings>

/** A thread's place in routing: its queue, who holds or is offered it, and its history. */
export const ThreadRoutingView = z.object({
  state: z.enum(ROUTING_STATES),
  queue: z.object({ id: z.string(), name: z.string(), afterWork: z.enum(AFTER_WORK), wrapUpCodes: z.array(z.string()) }).nullable(),
  /** While it is offered to someone: who, until when. */
  alert: z.object({ personId: z.string(), personName: z.string(), expiresAt: z.string() }).nullable(),
  wrapUpCode: z.string().nullable(),
  history: z.array(RoutingEventView),
})
export type ThreadRoutingView = z.infer<typeof ThreadRoutingView>
