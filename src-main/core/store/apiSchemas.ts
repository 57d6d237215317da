// What the store keeps for I1–I2: API keys, event subscriptions and their deliveries.
import { z } from 'zod'
import { API_SCOPES, EVENT_TYPES, type ApiScope, type EventType } from '../contract/api.ts'
import type { RoutingEvent } from './routingSchemas.ts'

export const StoredScopes = z.array(z.enum(API_SCOPES))

export interface StoredApiKey {
  id: string
  name: string
  prefix: string
  scopes: ApiScope[]
  createdBy: string | null
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

/** What a request with a key gets: the key, or why not (with when to try again when rate-limited). */
export type KeyUse = { ok: true; key: StoredApiKey } | { ok: false; reason: 'unknown' | 'revoked' } | { ok: false; reason: 'rate_limited'; retryAfterMs: number }

export interface StoredSubscription {
  id: string
  url: string
  types: EventType[]
  enabled: boolean
  createdBy: string | null
  createdAt: number
  consecutiveFailures: number
  disabledAt: number | null
  disabledReason: string | null
  /** Deliveries not yet done. */
  pending: number
}

export interface StoredDelivery {
  id: string
  subscriptionId: string
  eventId: string
  eventType: EventType
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  createdAt: number
  nextAttemptAt: number
  lastStatus: number | null
  lastError: string | null
  finishedAt: number | null
}

/** A delivery claimed for one attempt, with what it tells. */
export interface ClaimedDelivery extends StoredDelivery {
  url: string
  event: RoutingEvent
  /** The conversation as the event needs it. */
  conversation: { id: string; integrationId: string; customerIgsid: string; customerUsername: string | null }
}

/** How an attempt went: delivered, to be tried again at a time, or given up. */
export type AttemptOutcome =
  | { delivered: true; status: number }
  | { delivered: false; status: number | null; error: string; retryAt: number | null }

/** I2: which events a routing step makes. Steps not listed (alerts, declines, timeouts) make none. */
export const EVENT_TYPES_OF_STEP: Partial<Record<RoutingEvent['kind'], readonly EventType[]>> = {
  routed: ['conversation.started', 'conversation.routed'],
  accepted: ['conversation.accepted'],
  assigned: ['conversation.accepted'],
  transferred_to_queue: ['conversation.transferred'],
  transferred_to_person: ['conversation.transferred'],
  ended: ['conversation.ended'],
}

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value)

/** I1: a conversation as the REST API lists it. */
export interface ApiConversationRow {
  id: string
  integrationId: string
  queue: { id: string; name: string }
  agent: { id: string; name: string } | null
  state: 'unrouted' | 'waiting' | 'alerting' | 'interacting' | 'ended'
  customer: { igsid: string; username: string | null; name: string | null }
  createdAt: number
  lastActivityAt: number
  endedAt: number | null
  wrapUpCode: string | null
  waitingSince: number | null
}

/** I1: a message's metadata; `text` is given out only to keys with `messages:read`. Withdrawn messages have none. */
export interface ApiMessageRow {
  mid: string
  direction: 'inbound' | 'outbound' | 'echo'
  kind: string
  text: string | null
  attachmentTypes: string[]
  story: boolean
  createdAt: number
  withdrawn: boolean
}

export interface ApiPersonRow {
  id: string
  username: string
  name: string
  role: 'agent' | 'supervisor'
  messageCapacity: number
  active: boolean
}
