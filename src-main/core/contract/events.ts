import type { z } from 'zod'
import { AppStatus } from './schemas.ts'

// Everything main tells the UI without being asked.
export const events = {
  'app.status': AppStatus,
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

/** What crosses a transport for one event. */
export type EventMessage = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName]
