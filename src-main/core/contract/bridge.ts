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

/** A request as it arrives on a socket; null for anything that is not one. */
export function parseWireRequest(text: string): { id: number; name: unknown; input: unknown } | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return null
    const { id, name, input } = value as Record<string, unknown>
    return Number.isSafeInteger(id) ? { id: id as number, name, input } : null
  } catch {
    return null
  }
}
