import { z } from 'zod'

// I1–I2 as the window manages them: API keys (Admin → People → API keys) and event subscriptions
// (Admin → Event subscriptions). Secrets are in the answer to the create command only, once.

/** I1: what a key may do. `read`: every GET but message text; `write`: presence; `messages:read`: message text. */
export const API_SCOPES = ['read', 'write', 'messages:read'] as const
export type ApiScope = (typeof API_SCOPES)[number]

/** I2: what a subscription can hear. */
export const EVENT_TYPES = ['conversation.started', 'conversation.routed', 'conversation.accepted', 'conversation.transferred', 'conversation.ended'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const ApiKeyInput = z
  .object({
    name: z.string().trim().min(1, 'Enter a name that says who uses the key.').max(100, 'Keep the name under 100 characters.'),
    scopes: z.array(z.enum(API_SCOPES)).min(1, 'Choose at least one scope.').max(API_SCOPES.length),
  })
  .strict()

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first characters, to tell keys apart (the rest is never shown again). */
  prefix: z.string(),
  scopes: z.array(z.enum(API_SCOPES)),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export type ApiKeyView = z.infer<typeof ApiKeyView>

/** The key itself is here and nowhere else, ever. */
export const ApiKeyCreated = z.object({ key: ApiKeyView, secret: z.string() })

const loopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.startsWith('127.')
export const SubscriptionUrl = z
  .string()
  .trim()
  .max(2000, 'Keep the address under 2,000 characters.')
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || (url.protocol === 'http:' && loopback(url.hostname))) && !url.username && !url.password
    } catch {
      return false
    }
  }, 'Use an https:// address (http:// only on this machine, for testing), without a user name or password.')

export const SubscriptionInput = z
  .object({
    url: SubscriptionUrl,
    types: z.array(z.enum(EVENT_TYPES)).min(1, 'Choose at least one event type.').max(EVENT_TYPES.length),
  })
  .strict()

export const SubscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.enum(EVENT_TYPES)),
  enabled: z.boolean(),
  createdAt: z.string(),
  /** Failed attempts in a row; a success resets it. */
  consecutiveFailures: z.number().int(),
  /** Why Parley turned it off (repeated failure); null when it is on or a supervisor turned it off. */
  disabledReason: z.string().nullable(),
  pending: z.number().int(),
})
export type SubscriptionView = z.infer<typeof SubscriptionView>

export const SubscriptionCreated = z.object({ subscription: SubscriptionView, secret: z.string() })

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const
export const DeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})
export type DeliveryView = z.infer<typeof DeliveryView>
