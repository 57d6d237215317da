import type { Reply } from './errors.ts'
import type { EventMessage } from './events.ts'

/**
 * The one object a renderer sees, whatever the transport: Electron's preload exposes it
 * as `window.parley`; in a browser the WebSocket client implements it.
 */
export interface ParleyBridge {
  invoke(name: string, input?: unknown): Promise<Reply<unknown>>
  on(listener: (event: EventMessage) => void): () => void
}

/** Requests and replies on the WebSocket transport. */
export interface WireRequest {
  id: number
  name: string
  input?: unknown
}
export type WireMessage = { id: number | null; reply: Reply<unknown> } | { event: EventMessage }
