import { z } from 'zod'
import { OutboxView } from './inbox.ts'
import { Integration, LoginFinished } from './integrations.ts'
import { SessionEnded } from './people.ts'
import { AlertView, PresenceView, QueueActivityView } from './routing.ts'
import { AppStatus, MetaClock } from './schemas.ts'

// Everything main tells the UI without being asked.
export const events = {
  'app.status': AppStatus,
  /** A3: Meta's time jumped (the sandbox's clock was moved, this machine's clock was set): count windows again. */
  'clock.changed': MetaClock,
  /** The Facebook login window (or popup) came back. */
  'login.finished': LoginFinished,
  /** Any integration changed: created, saved, deleted, disconnected, health checked. */
  'integrations.changed': z.array(Integration),
  /** New or changed messages in these conversations (A1: new messages appear live). */
  'inbox.changed': z.object({ conversationIds: z.array(z.string()), newInbound: z.boolean() }),
  /** A reply in the outbox moved: sent, failed, waiting. */
  'outbox.changed': OutboxView,
  /** P3: this window's session ended (signed out here or elsewhere, idle too long, deactivated): show Sign in. */
  'session.ended': SessionEnded,
  /** P2: people were added or changed (supervisors' People list). */
  'people.changed': z.object({}),
  /** R3: the conversations offered to this person now (each change: a new alert, one answered or withdrawn). */
  'routing.alerts': z.array(AlertView),
  /** R2: a person's presence changed (to them and to supervisors). */
  'presence.changed': PresenceView,
  /** R1: queues were added, changed or deleted, here or on another node (supervisors' Queues list). */
  'queues.changed': z.object({}),
  /** R6: Queue activity as it is now (supervisors). */
  'routing.activity': QueueActivityView,
  /** I1–I2: API keys or event subscriptions changed (supervisors' lists; a subscription Parley turned off). */
  'apiKeys.changed': z.object({}),
  'subscriptions.changed': z.object({}),
  /** The person clicked a desktop notification: show this conversation. */
  'inbox.open': z.object({ conversationId: z.string() }),
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

/** What crosses a transport for one event. */
export type EventMessage = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName]
