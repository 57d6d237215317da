// T1–T4 inside a running Parley: the same checks as `npm run doctor`, fed by the live core (its store,
// keychain and Meta backend), the event log, bundles and replay.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BundleView, LogEntryView } from '../contract/diagnostics.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { StoredIntegration } from '../store/integrationSchemas.ts'
import type { Store } from '../store/repositories.ts'
import { runChecks, type DiagnosticsDeps, type DiagnosticsReport } from './checks.ts'
import { buildBundle, parseBundle, readBundle, writeBundle, type Bundle } from './bundle.ts'
import { WEBHOOK_RECEIVED, type EventLog, type LogEntry, type LogFilter } from './eventLog.ts'
import { payloadFiles, replayIntoSandbox, type ReplayResult } from './replay.ts'
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
  version: string
  /** The non-secret settings as stored (config.json, or the team's shared settings). */
  settings: () => Promise<Record<string, unknown>>
  /** The supervisor's Include message text (T2). */
  includeText: () => boolean
  /** Where Export bundle writes, unless told otherwise. */
  bundleDir: string
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

    /** T3: runs the checks and writes one file; says where. */
    async exportBundle(dir?: string): Promise<{ path: string; bundle: Bundle }> {
      const integrations = deps.integrations()
      const backend = deps.meta.backend()
      const secretValues = [
        ...(await Promise.all(integrations.map((i) => deps.secrets.pageToken(i.id).get().catch(() => null)))),
        await deps.secrets.metaAppSecret.get().catch(() => null),
        backend.sandboxAppSecret,
      ].filter((v): v is string => typeof v === 'string' && v.length > 0)
      const [checks, settings, stats] = await Promise.all([run(), deps.settings().catch(() => ({})), deps.store.stats().catch(() => null)])
      const bundle = buildBundle({
        version: deps.version,
        mode: deps.meta.mode(),
        engine: deps.store.engine,
        settings,
        integrations: integrations.map(({ id, name, pageId, pageName, instagram, status, problem, health, deletedAt }) => ({ id, name, pageId, pageName, instagram, status, problem, health, deletedAt })),
        checks,
        store: stats as Record<string, unknown> | null,
        log: deps.eventLog?.read({ limit: 20_000 }) ?? [],
        secrets: secretValues,
        includeText: deps.includeText(),
        now,
      })
      return { path: writeBundle(bundle, dir ?? deps.bundleDir), bundle }
    },

    /** T3: reads a bundle made anywhere; nothing of it goes into this Parley's store. */
    openBundle: (path: string): Bundle => readBundle(path),
    /** The same for a file the window read (the browser cannot name a path on this machine). */
    openBundleText: (name: string, text: string): Bundle => parseBundle(text, name),

    /**
     * T4: payloads from files, or recorded in the event log (by the time of their entry), replayed
     * into the sandbox. Only in sandbox mode: a replay never reaches Meta.
     */
    async replay(input: { files?: readonly string[]; texts?: readonly { name: string; text: string }[]; logTimes?: readonly string[] }): Promise<ReplayResult[]> {
      const sandboxUrl = deps.meta.backend().sandboxUrl
      if (!sandboxUrl) throw new ReplayUnavailable('Replay works in sandbox mode only: switch to the sandbox (Admin → Meta app) and replay there.')
      const recorded = (deps.eventLog?.read({ limit: 100_000 }) ?? []).filter((e) => e.message === WEBHOOK_RECEIVED && input.logTimes?.includes(e.time))
      const texts = (input.texts ?? []).map(({ name, text }) => {
        try {
          return { label: name, payload: JSON.parse(text) as unknown }
        } catch (error) {
          return { label: name, payload: { unreadable: (error as Error).message } }
        }
      })
      const sources = [...(await payloadFiles(input.files ?? [])), ...texts, ...recorded.reverse().map((e) => ({ label: `log ${e.time}`, payload: e.payload }))]
      return replayIntoSandbox(sandboxUrl, sources)
    },
  }
}

export type DiagnosticsService = ReturnType<typeof createDiagnosticsService>

export class ReplayUnavailable extends Error {}

/** The supervisor's Include message text (T2), off unless set to true. */
export const INCLUDE_TEXT_SETTING = 'diagnosticsIncludeMessageText'

/** config.json as it is on disk, for a bundle; secrets are never in it (X1) and are scrubbed anyway. */
export async function readSettingsSnapshot(file: string): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export const eventLogDir = (dataDir: string) => join(dataDir, 'logs')

/** A log entry as the window shows it. */
export function logEntryView(entry: LogEntry): LogEntryView {
  const { time, level, message, ...rest } = entry
  const integrations = [rest.integration, rest.instagram].flat().filter((v): v is string => typeof v === 'string')
  return { time, level, message, integrations, details: Object.keys(rest).length ? JSON.stringify(rest) : '', replayable: message === WEBHOOK_RECEIVED && rest.payload !== undefined }
}

/** A bundle as the window shows it, marked imported by the view. */
export function bundleView(bundle: Bundle): BundleView {
  return {
    createdAt: bundle.createdAt,
    parley: bundle.parley,
    system: bundle.system,
    integrations: bundle.integrations.map(({ id, name, instagram, status }) => ({ id, name, instagram, status })),
    checks: bundle.checks,
    store: bundle.store ? JSON.stringify(bundle.store) : null,
    log: (bundle.log as LogEntry[]).map(logEntryView),
  }
}

