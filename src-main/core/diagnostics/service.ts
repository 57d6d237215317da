// T1–T4 inside a running Parley: the same checks as `npm run doctor`, fed by the live core (its store,
// keychain and Meta backend), the event log, bundles and replay.
import { join } from 'node:path'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { StoredIntegration } from '../store/integrationSchemas.ts'
import type { Store } from '../store/repositories.ts'
import { runChecks, type DiagnosticsDeps, type DiagnosticsReport } from './checks.ts'
import type { EventLog, LogEntry, LogFilter } from './eventLog.ts'
import { createCheckingGraph, openSqliteProbe, storeProbe, type SqliteProbe } from './probes.ts'

export interface DiagnosticsServiceDeps {
  store: Store
  secrets: ParleySecrets
  meta: MetaRuntime
  eventLog: EventLog | null
  integrations: () => StoredIntegration[]
  /** Live mode without a webhook address: Parley polls. */
  polling: () => boolean
  team?: DiagnosticsDeps['team']
  now?: () => number
  timeoutMs?: number
}

export function createDiagnosticsService(deps: DiagnosticsServiceDeps) {
  const now = deps.now ?? Date.now
  const idsOf = (integration: StoredIntegration) => [integration.id, integration.instagram.id]

  async function run(): Promise<DiagnosticsReport> {
    const backend = deps.meta.backend()
    const checking = createCheckingGraph({
      graphBase: backend.graphBase,
      webBase: backend.webBase,
      appId: backend.appId ?? '0',
      appSecret: async () => backend.sandboxAppSecret ?? (await deps.secrets.metaAppSecret.get()),
    })
    // SQLite: a read-only connection of its own, so that the integrity check reads the file itself.
    let sqlite: SqliteProbe | null = null
    let store: DiagnosticsDeps['store']
    if (deps.store.engine === 'sqlite') {
      try {
        store = sqlite = openSqliteProbe(deps.store.filePath)
      } catch (error) {
        store = { unavailable: error instanceof Error ? error.message : String(error) }
      }
    } else store = storeProbe(deps.store)
    try {
      return await runChecks({
        now,
        mode: deps.meta.mode(),
        keychain: deps.secrets.kind === 'memory' ? null : { kind: deps.secrets.kind === 'server-key' ? 'server_key' : 'keychain', probe: async () => void (await deps.secrets.metaAppSecret.get()) },
        graph: checking.graph,
        probeMeta: () => checking.probeMeta(),
        integrations: async () => deps.integrations(),
        pageToken: (id) => deps.secrets.pageToken(id).get(),
        store,
        lastDelivery: async (integration) => deps.eventLog?.lastDelivery(idsOf(integration)) ?? null,
        polling: deps.polling(),
        ...(deps.team ? { team: deps.team } : {}),
        ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
      })
    } finally {
      sqlite?.close()
    }
  }

  return {
    run,
    /** The event log, newest first; an integration's filter matches its id and its Instagram account. */
    log(filter: Omit<LogFilter, 'integration'> & { integrationId?: string | undefined } = {}): LogEntry[] {
      if (!deps.eventLog) return []
      const integration = filter.integrationId ? deps.integrations().find((i) => i.id === filter.integrationId) : undefined
      return deps.eventLog.read({ ...filter, integration: filter.integrationId ? (integration ? idsOf(integration) : [filter.integrationId]) : undefined })
    },
    logDir: () => deps.eventLog?.dir ?? null,
  }
}

export type DiagnosticsService = ReturnType<typeof createDiagnosticsService>

/** The supervisor's Include message text (T2), off unless set to true. */
export const INCLUDE_TEXT_SETTING = 'diagnosticsIncludeMessageText'

export const eventLogDir = (dataDir: string) => join(dataDir, 'logs')
