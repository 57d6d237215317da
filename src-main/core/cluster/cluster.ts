// The nodes Parley runs on. A single workstation is a cluster of one; a team server's nodes share
// one PostgreSQL database and hear each other through it (pgCluster.ts). Core is written once
// against this interface: what one node changes, every node learns.
import { describeError, type Logger } from '../app/logger.ts'
import { createEventHub, type Audience, type EventHub } from '../contract/eventHub.ts'
import type { EventName, EventPayload } from '../contract/events.ts'

/** What nodes tell each other, beside the windows' events. */
export interface ClusterSignals {
  /** Integrations or content profiles changed in the store: read them again. */
  'catalog.changed': Record<string, never>
  /** The shared settings changed (the Meta app, the webhook address): read them again. */
  'settings.changed': Record<string, never>
  /** A person's sessions were ended (Deactivate, Reset password): close their windows now. */
  'sessions.ended': { personId: string; reason: 'deactivated' | 'password_reset' }
  /** Facebook's login redirect reached a node that may not hold the login it completes. */
  'login.redirect': { url: string }
}
export type ClusterSignal = keyof ClusterSignals

/** Window events: `emit` reaches every node's windows, `emitLocal` only this node's. */
export interface ClusterEventHub extends EventHub {
  emitLocal<E extends EventName>(name: E, payload: EventPayload<E>, audience?: Audience): void
}

export interface Cluster {
  readonly nodeId: string
  readonly events: ClusterEventHub
  /** To every node, this one included. */
  signal<S extends ClusterSignal>(name: S, payload: ClusterSignals[S]): void
  onSignal<S extends ClusterSignal>(name: S, handler: (payload: ClusterSignals[S]) => void): () => void
  /** Nodes alive now (by heartbeat); this one alone on a workstation. */
  aliveNodes(): Promise<string[]>
  /**
   * Work one node at a time must do (polling an integration): the keys this node offers to lead.
   * Each is led by one node; when it dies, another takes it over within seconds.
   */
  offerToLead(keys: readonly string[]): void
  /** Whether this node leads `key` now. Always on a workstation. */
  leads(key: string): boolean
  close(): Promise<void>
}

/** A signal handler map, shared by both implementations. */
export function createSignalBus() {
  const handlers = new Map<ClusterSignal, Set<(payload: never) => void>>()
  return {
    dispatch(name: ClusterSignal, payload: unknown, onError: (error: unknown) => void) {
      for (const handler of handlers.get(name) ?? []) {
        try {
          ;(handler as (payload: unknown) => void)(payload)
        } catch (error) {
          onError(error)
        }
      }
    },
    on<S extends ClusterSignal>(name: S, handler: (payload: ClusterSignals[S]) => void): () => void {
      const set = handlers.get(name) ?? new Set()
      handlers.set(name, set)
      set.add(handler as (payload: never) => void)
      return () => set.delete(handler as (payload: never) => void)
    },
  }
}

/** A single workstation: one node, events and signals delivered in this process. */
export function createLocalCluster({ log, nodeId = 'local' }: { log: Logger; nodeId?: string }): Cluster {
  const hub = createEventHub()
  const bus = createSignalBus()
  const failed = (error: unknown) => log.error('a signal handler failed', describeError(error))
  return {
    nodeId,
    events: { ...hub, emitLocal: hub.emit },
    // After the current call stack, as a signal from another node would arrive.
    signal: (name, payload) => queueMicrotask(() => bus.dispatch(name, payload, failed)),
    onSignal: bus.on,
    aliveNodes: async () => [nodeId],
    offerToLead: () => {},
    leads: () => true,
    close: async () => {},
  }
}
