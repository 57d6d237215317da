import { events, type EventMessage, type EventName, type EventPayload } from './events.ts'

export interface EventHub {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void
  subscribe(listener: (event: EventMessage) => void): () => void
}

/** Fans main-process events out to every connected window, whatever its transport. */
export function createEventHub(): EventHub {
  const listeners = new Set<(event: EventMessage) => void>()
  return {
    emit(name, payload) {
      // Parsing strips undeclared fields, exactly as command replies do.
      const message = { name, payload: events[name].parse(payload) } as EventMessage
      for (const listener of listeners) listener(message)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
