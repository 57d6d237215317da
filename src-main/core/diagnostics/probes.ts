// What the checks read, made so that reading changes nothing: the SQLite file opened read-only on a
// connection of its own (beside the app's, WAL allows it), and a Graph client that tries once.
import { existsSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { createGraphClient, type GraphClient } from '../graph/index.ts'
import { createCursorRepository } from '../store/cursors.ts'
import { createIntegrationRepository } from '../store/integrationRepositories.ts'
import type { StoredIntegration } from '../store/integrationSchemas.ts'
import type { Store, StoreStats } from '../store/repositories.ts'
import { readStats } from '../store/stats.ts'
import type { MetaProbe, StoreProbe } from './checks.ts'

export interface SqliteProbe extends StoreProbe {
  integrationsList(): Promise<StoredIntegration[]>
  close(): void
}

/** Opens `inbox.sqlite` read-only. Throws with a plain reason when it cannot (missing, damaged, locked). */
export function openSqliteProbe(filePath: string): SqliteProbe {
  if (!existsSync(filePath)) throw new Error(`${filePath} does not exist yet (Parley has not run with this data folder).`)
  const db = new DatabaseSync(filePath, { readOnly: true, timeout: 2000 })
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
    if (!tables.includes('schema_migrations')) throw new Error(`${filePath} is not a Parley database.`)
  } catch (error) {
    db.close()
    throw new Error(error instanceof Error ? error.message : String(error), { cause: error })
  }
  const schemaVersion = () => (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v
  const integrations = createIntegrationRepository({ db })
  const cursors = createCursorRepository({ db })
  return {
    engine: 'sqlite',
    async integrity() {
      const lines = (db.prepare('PRAGMA integrity_check(20)').all() as Record<string, string>[]).map((row) => Object.values(row)[0] ?? '')
      return { ok: lines.length === 1 && lines[0] === 'ok', detail: lines.join('; ') }
    },
    stats: async (): Promise<StoreStats> => readStats(db, filePath, schemaVersion()),
    async stuck() {
      const rows = db.prepare("SELECT id, state, updated_at FROM outbox WHERE state IN ('sending', 'ambiguous') ORDER BY updated_at LIMIT 500").all() as { id: string; state: 'sending' | 'ambiguous'; updated_at: number }[]
      return rows.map((row) => ({ id: row.id, state: row.state, updatedAt: Number(row.updated_at) }))
    },
    cursors: (integrationId) => cursors.forIntegration(integrationId),
    integrationsList: () => integrations.listAll(),
    close: () => db.close(),
  }
}

/** The team server's PostgreSQL through its repositories (they only read here). */
export function storeProbe(store: Store): StoreProbe {
  return {
    engine: store.engine,
    async integrity() {
      const ready = await store.ready()
      return { ok: ready.ready, detail: ready.reason ?? `schema ${(await store.stats()).schemaVersion}` }
    },
    stats: () => store.stats(),
    async stuck() {
      const items = [...(await store.outbox.inState('sending', 500)), ...(await store.outbox.inState('ambiguous', 500))]
      return items.map((item) => ({ id: item.id, state: item.state as 'sending' | 'ambiguous', updatedAt: item.updatedAt }))
    },
    cursors: (integrationId) => store.cursors.forIntegration(integrationId),
  }
}

export interface CheckingGraph {
  graph: GraphClient
  probeMeta(): Promise<MetaProbe>
}

/** A Graph client for the checks: one attempt each, a short timeout, and Meta's Date header kept. */
export function createCheckingGraph(options: { graphBase: string; webBase: string; appId: string; appSecret: () => Promise<string | null>; timeoutMs?: number }): CheckingGraph {
  const graph = createGraphClient({
    graphBase: options.graphBase,
    webBase: options.webBase,
    appId: options.appId,
    appSecret: options.appSecret,
    timeoutMs: options.timeoutMs ?? 5_000,
    retry: { maxAttempts: 1, maxWaitMs: 0 },
  })
  return {
    graph,
    async probeMeta() {
      // Any answer (even an error about the missing token) proves Graph is reachable and carries its time.
      const response = await fetch(`${options.graphBase}/${graph.version}/debug_token`, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) })
      await response.body?.cancel()
      const date = response.headers.get('date')
      return { date: date ? Date.parse(date) : null }
    },
  }
}
