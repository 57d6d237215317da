import type { Actor } from './context.ts'
import { events, type EventMessage, type EventName, type EventPayload } from './events.ts'

/**
 * Who may receive an event (P5): the people named, and supervisors when `supervisors` is set.
 * Without an audience an event is everyone's (the app's status).
 */
export interface Audience {
  people?: readonly string[]
  supervisors?: boolean
}

export function reaches(audience: Audience | undefined, actor: Actor): boolean {
  if (!audience) return true
  return (audience.supervisors === true && actor.role === 'supervisor') || (audience.people?.includes(actor.personId) ?? false)
}

export type EventListener = (event: EventMessage, audience: Audience | undefined) => void

export interface EventHub {
  emit<E extends EventName>(name: E, payload: EventPayload<E>, audience?: Audience): void
  /** Each transport passes on to a window only what `reaches` its person. */
  subscribe(listener: EventListener): () => void
}

/** Fans main-process events out to every connected window, whatever its transport. */
export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>()
  return {
    emit(name, payload, audience) {
      // Parsing strips undeclared fields, exactly as command replies do.
      const message = { name, payload: events[name].parse(payload) } as EventMessage
      for (const listener of listeners) listener(message, audience)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
