// A team server's nodes on one PostgreSQL database: window events and signals travel by
// LISTEN/NOTIFY (every node, this one included, hears each once), liveness by heartbeat rows.
// A dropped connection is retried with backoff; meanwhile this node still serves its own windows
// and reports not ready, and once back it reads what it may have missed from the store.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Logger } from '../app/logger.ts'
import { describeError } from '../app/logger.ts'
import { createEventHub, type Audience } from '../contract/eventHub.ts'
import { events as eventSchemas, type EventName } from '../contract/events.ts'
import type { NodeRepository } from '../store/index.ts'
import { createSignalBus, type Cluster, type ClusterSignal } from './cluster.ts'
import { chunkMessage, createReassembler } from './notifyChunks.ts'

export const CLUSTER_CHANNEL = 'parley_cluster'
/** The first key of the two-key advisory locks that say which node leads what. */
const LEADERSHIP_CLASS = 7_235_002

export interface PgClusterOptions {
  connectionString: string
  nodeId: string
  /** Where this node serves, for diagnostics. */
  url: string
  nodes: NodeRepository
  log: Logger
  heartbeatMs?: number
  /** A node not heard from for this long is taken for dead. */
  aliveWithinMs?: number
  /** How often a node tries to take over work whose leader is gone. */
  leadershipMs?: number
  /** Called after the LISTEN connection came back: anything may have changed meanwhile. */
  onReconnect?: () => void
}

export interface PgCluster extends Cluster {
  /** Listening and beating: what `/readyz` reports. */
  healthy(): boolean
}

type Envelope =
  | { kind: 'event'; name: EventName; payload: unknown; audience?: Audience }
  | { kind: 'signal'; name: ClusterSignal; payload: unknown }

const RETRY_MS = [250, 500, 1000, 2000, 5000]

export async function openPgCluster(options: PgClusterOptions): Promise<PgCluster> {
  const { log, nodeId } = options
  const heartbeatMs = options.heartbeatMs ?? 5_000
  const aliveWithinMs = options.aliveWithinMs ?? 20_000
  const startedAt = Date.now()
  const hub = createEventHub()
  const bus = createSignalBus()
  const publisher = new pg.Pool({ connectionString: options.connectionString, max: 2 })
  publisher.on('error', (error) => log.warn('a cluster publishing connection failed', describeError(error)))
  const reassemble = createReassembler()
  let listener: pg.Client | null = null
  let listening = false
  let lastBeatOk = false
  let closed = false
  let attempt = 0
  // Leadership is a session advisory lock on the listening connection: it ends with the connection,
  // so a node that dies (or loses the database) gives up what it led at once.
  const wanted = new Set<string>()
  const led = new Set<string>()

  function deliver(envelope: Envelope) {
    if (envelope.kind === 'signal') return bus.dispatch(envelope.name, envelope.payload, (error) => log.error('a cluster signal handler failed', { signal: envelope.name, ...describeError(error) }))
    const schema = eventSchemas[envelope.name]
    const parsed = schema?.safeParse(envelope.payload)
    if (!parsed?.success) return log.warn('an unknown or malformed cluster event was ignored', { name: String(envelope.name) })
    hub.emit(envelope.name, parsed.data as never, envelope.audience)
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString, keepAlive: true })
    const lost = (why: string) => {
      if (listener !== client) return
      listener = null
      listening = false
      led.clear()
      client.removeAllListeners()
      void client.end().catch(() => {})
      if (closed) return
      log.warn('the cluster connection was lost; retrying', { why })
      setTimeout(() => void reconnect(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]).unref()
    }
    client.on('error', (error) => lost(error.message))
    client.on('end', () => lost('connection ended'))
    client.on('notification', (message) => {
      if (message.channel !== CLUSTER_CHANNEL || !message.payload) return
      const whole = reassemble(message.payload)
      if (whole === null) return
      try {
        deliver(JSON.parse(whole) as Envelope)
      } catch (error) {
        log.warn('a cluster message could not be read', describeError(error))
      }
    })
    listener = client
    led.clear()
    await client.connect()
    await client.query(`LISTEN ${CLUSTER_CHANNEL}`)
    listening = true
    attempt = 0
    await claimLeadership()
  }

  /** Takes what is wanted and free, lets go of what is no longer wanted. */
  async function claimLeadership(): Promise<void> {
    const client = listener
    if (!client || !listening) return
    try {
      for (const key of [...wanted].filter((k) => !led.has(k))) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEADERSHIP_CLASS, key])
        if (rows[0]?.ok && listener === client) led.add(key)
      }
      for (const key of [...led].filter((k) => !wanted.has(k))) {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEADERSHIP_CLASS, key])
        led.delete(key)
      }
    } catch (error) {
      log.warn('leadership could not be claimed now', describeError(error))
    }
  }

  async function reconnect(): Promise<void> {
    if (closed) return
    try {
      await listen()
      log.info('the cluster connection is back')
      options.onReconnect?.()
    } catch (error) {
      const client = listener
      listener = null
      await client?.end().catch(() => {})
      if (closed) return
      log.warn('the cluster connection could not be made; retrying', describeError(error))
      setTimeout(() => void reconnect(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]).unref()
    }
  }

  async function publish(envelope: Envelope): Promise<void> {
    const chunks = chunkMessage(randomUUID(), JSON.stringify(envelope))
    // One statement, one transaction: a message's chunks arrive together and in order.
    await publisher.query('SELECT pg_notify($1, chunk) FROM unnest($2::text[]) WITH ORDINALITY AS c(chunk, n) ORDER BY n', [CLUSTER_CHANNEL, chunks])
  }

  async function beat(): Promise<void> {
    try {
      await options.nodes.beat({ nodeId, url: options.url, startedAt, at: Date.now() })
      lastBeatOk = true
    } catch (error) {
      if (lastBeatOk) log.warn('this node could not record its heartbeat', describeError(error))
      lastBeatOk = false
    }
  }

  await listen()
  await beat()
  const heartbeat = setInterval(() => void beat(), heartbeatMs)
  heartbeat.unref()
  const leadership = setInterval(() => void claimLeadership(), options.leadershipMs ?? 5_000)
  leadership.unref()

  return {
    nodeId,
    events: {
      emit(name, payload, audience) {
        const parsed = eventSchemas[name].parse(payload)
        publish({ kind: 'event', name, payload: parsed, ...(audience ? { audience } : {}) }).catch((error: unknown) => {
          // The other nodes miss it; this node's windows at least see it.
          log.warn('an event could not reach the other nodes', { event: name, ...describeError(error) })
          hub.emit(name, parsed as never, audience)
        })
      },
      emitLocal: hub.emit,
      subscribe: hub.subscribe,
    },
    signal(name, payload) {
      publish({ kind: 'signal', name, payload }).catch((error: unknown) => {
        log.warn('a signal could not reach the other nodes', { signal: name, ...describeError(error) })
        bus.dispatch(name, payload, () => {})
      })
    },
    onSignal: bus.on,
    async aliveNodes() {
      return (await options.nodes.alive(Date.now() - aliveWithinMs)).map((node) => node.nodeId)
    },
    offerToLead(keys) {
      wanted.clear()
      for (const key of keys) wanted.add(key)
      void claimLeadership()
    },
    leads: (key) => led.has(key),
    healthy: () => listening && lastBeatOk,
    async close() {
      closed = true
      clearInterval(heartbeat)
      clearInterval(leadership)
      await options.nodes.remove(nodeId).catch(() => {})
      const client = listener
      listener = null
      client?.removeAllListeners()
      await client?.end().catch(() => {})
      await publisher.end().catch(() => {})
    },
  }
}
