// R1–R6 in the store: queues, rules, agents' presence, alerts and the routing history. What a
// decision refuses comes back as a reason, not an error: the routing service words it.
import { z } from 'zod'
import { AFTER_WORK, ALERT_TIMEOUT, PRESENCES, RoutingRule, ROUTING_EVENT_KINDS, type AfterWork, type Presence, type RoutingEventKind } from '../contract/routing.ts'
import { ids } from './schemas.ts'

export const StoredQueue = z.strictObject({
  id: ids.id,
  name: z.string().trim().min(1).max(100),
  memberIds: z.array(ids.id).max(1000),
  alertTimeoutSeconds: z.number().int().min(ALERT_TIMEOUT.min).max(ALERT_TIMEOUT.max),
  wrapUpCodes: z.array(z.string().trim().min(1).max(100)).max(50),
  afterWork: z.enum(AFTER_WORK),
  /** The integration whose Default queue this is. */
  integrationId: ids.id.nullable(),
  createdAt: ids.epochMs,
})
export type StoredQueue = z.infer<typeof StoredQueue>

export const StoredRules = z.strictObject({ integrationId: ids.id, defaultQueueId: ids.id, rules: z.array(RoutingRule).max(100) })
export type StoredRules = z.infer<typeof StoredRules>

export interface AgentState {
  personId: string
  presence: Presence
  presenceSince: number
  /** Offers go to the longest idle first: since going on queue or the last offer, whichever is later. */
  idleSince: number
  autoAnswer: boolean
}

export interface StoredAlert {
  conversationId: string
  personId: string
  queueId: string
  queueName: string
  offeredAt: number
  expiresAt: number
}

export interface RoutingEvent {
  id: number
  conversationId: string
  at: number
  kind: RoutingEventKind
  queueId: string | null
  queueName: string | null
  personId: string | null
  personName: string | null
  byPersonId: string | null
  byName: string | null
  wrapUpCode: string | null
  automatic: boolean
}

/** What one offer did: an alert to an agent, or (Auto-answer) the conversation accepted at once. */
export interface Offer {
  kind: 'alerted' | 'accepted'
  conversationId: string
  personId: string
  expiresAt: number | null
}

/** An alert nobody answered in time: its agent is now Not responding. */
export interface Expired {
  conversationId: string
  personId: string
}

export type TransferTarget = { queueId: string } | { personId: string }

/** Why a decision did not happen. */
export type Refusal =
  | 'no_conversation'
  | 'ended'
  | 'not_offered'
  | 'no_queue'
  | 'no_person'
  | 'not_on_queue'
  | 'at_capacity'
  | 'already_theirs'
  | 'wrap_up_required'
  | 'unknown_wrap_up_code'
  | 'not_holding'

export type Decision = { ok: true } | { ok: false; reason: Refusal }

export interface QueueActivity {
  queues: { id: string; name: string; waiting: number; interacting: number; longestWaitingSince: number | null; agentsOnQueue: number }[]
  agents: { personId: string; name: string; presence: Presence; presenceSince: number; conversations: number; capacity: number }[]
}

export { AFTER_WORK, PRESENCES, ROUTING_EVENT_KINDS, type AfterWork, type Presence }
