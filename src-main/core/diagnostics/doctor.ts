// `npm run doctor`: the checks of Diagnostics in a terminal, for when the window cannot start. It
// reads the data folder without changing it: config.json parsed, inbox.sqlite opened read-only, the
// keychain read, Meta asked only questions. No Electron, no Parley core.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveDataDir } from '../app/dataDir.ts'
import { detectMode, liveAppId } from '../app/mode.ts'
import { LIVE_GRAPH_BASE, LIVE_WEB_BASE } from '../meta/metaBackend.ts'
import { openKeytarStore } from '../secrets/keytarStore.ts'
import { createParleySecrets } from '../secrets/secretStore.ts'
import { createMemorySettingsFile, SETTINGS_FILE_NAME } from '../settings/settingsFile.ts'
import { readWebhookSettings } from '../settings/webhookSettings.ts'
import { STORE_FILE_NAME } from '../store/database.ts'
import { exitCodeOf, runChecks, type DiagnosticsDeps, type DiagnosticsReport, type Verdict } from './checks.ts'
import { LOG_DIR, filterEntries, readEntries, WEBHOOK_RECEIVED } from './eventLog.ts'
import { createCheckingGraph, openSqliteProbe } from './probes.ts'
import { payloadFiles, replayIntoSandbox } from './replay.ts'

export interface DoctorIo {
  env: NodeJS.ProcessEnv
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  now?: () => number
}

/** config.json as it is on disk; an unreadable one counts as empty (and is reported). */
function readConfig(dataDir: string): { values: Record<string, unknown>; problem: string | null } {
  const file = join(dataDir, `${SETTINGS_FILE_NAME}.json`)
  if (!existsSync(file)) return { values: {}, problem: null }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return { values: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}, problem: null }
  } catch (error) {
    return { values: {}, problem: `${file} is not valid JSON (${(error as Error).message}).` }
  }
}

/** Everything the checks need, read from a data folder. `close` releases the store file. */
export function doctorDeps(dataDir: string, env: NodeJS.ProcessEnv, now: () => number): { deps: DiagnosticsDeps; close(): void; configProblem: string | null } {
  const config = readConfig(dataDir)
  const settings = createMemorySettingsFile(config.values)
  const mode = detectMode(settings)
  const installationId = typeof config.values.installationId === 'string' ? config.values.installationId : null
  const keychain = env.PARLEY_SECRET_STORE === 'memory' ? null : openKeytarStore()
  const secrets = keychain && installationId ? createParleySecrets(keychain, installationId) : null

  let backend: { graphBase: string; webBase: string; appId: string; appSecret: () => Promise<string | null> } | null = null
  let metaUnavailable: string | null = null
  if (mode === 'live') {
    const appId = liveAppId(settings)
    backend = { graphBase: LIVE_GRAPH_BASE, webBase: LIVE_WEB_BASE, appId: appId ?? '0', appSecret: async () => (await secrets?.metaAppSecret.get()) ?? null }
  } else if (env.PARLEY_SANDBOX_URL && env.PARLEY_SANDBOX_APP_ID && env.PARLEY_SANDBOX_APP_SECRET) {
    const secret = env.PARLEY_SANDBOX_APP_SECRET
    backend = { graphBase: env.PARLEY_SANDBOX_URL.replace(/\/+$/, ''), webBase: env.PARLEY_SANDBOX_URL.replace(/\/+$/, ''), appId: env.PARLEY_SANDBOX_APP_ID, appSecret: async () => secret }
  } else {
    metaUnavailable = 'Parley runs against its embedded sandbox, which lives only while Parley runs. Start it with "npm run sandbox" and set PARLEY_SANDBOX_URL, _APP_ID and _APP_SECRET to check it.'
  }
  const checking = backend ? createCheckingGraph(backend) : null

  let store: ReturnType<typeof openSqliteProbe> | null = null
  let storeProblem: string | null = null
  try {
    store = openSqliteProbe(join(dataDir, STORE_FILE_NAME))
  } catch (error) {
    storeProblem = error instanceof Error ? error.message : String(error)
  }
  const logDir = join(dataDir, LOG_DIR)
  const deps: DiagnosticsDeps = {
    now,
    mode,
    keychain: env.PARLEY_SECRET_STORE === 'memory'
      ? null
      : {
          kind: 'keychain',
          probe: async () => {
            if (!keychain) throw new Error('keytar is not installed or cannot load on this computer')
            await keychain.get(`${installationId ?? 'parley-doctor'}/meta-app-secret`)
          },
        },
    graph: checking?.graph ?? null,
    metaUnavailable,
    probeMeta: () => (checking ? checking.probeMeta() : Promise.reject(new Error(metaUnavailable ?? 'no Meta'))),
    integrations: async () => {
      if (!store) throw new Error(storeProblem ?? 'the store is not open')
      return store.integrationsList()
    },
    pageToken: async (id) => (secrets ? secrets.pageToken(id).get() : null),
    store: store ?? { unavailable: storeProblem ?? 'unknown' },
    lastDelivery: async (integration) => {
      const found = filterEntries(readEntries(logDir), { integration: [integration.id, integration.instagram.id], limit: 100_000 }).find((e) => e.message === WEBHOOK_RECEIVED)
      return found ? Date.parse(found.time) : null
    },
    polling: mode === 'live' && readWebhookSettings(settings, env).publicUrl === null,
  }
  return { deps, close: () => store?.close(), configProblem: config.problem }
}

const LABELS: Record<Verdict, string> = { ok: 'OK', warning: 'Warning', problem: 'Problem' }
const COLOURS: Record<Verdict, string> = { ok: '\u001b[32m', warning: '\u001b[33m', problem: '\u001b[31m' }

/** The report as a person reads it: one block per check; colour only on a terminal. */
export function formatReport(report: DiagnosticsReport, colour: boolean): string {
  const paint = (verdict: Verdict, text: string) => (colour ? `${COLOURS[verdict]}${text}\u001b[0m` : text)
  const lines = [`Parley doctor — ${report.mode} mode, ${report.finishedAt}`, '']
  for (const check of report.checks) {
    lines.push(`${paint(check.verdict, LABELS[check.verdict].padEnd(8))} ${check.title}`)
    lines.push(`         ${check.cause}`)
    if (check.fix) lines.push(`         Fix: ${check.fix}`)
  }
  const count = (v: Verdict) => report.checks.filter((c) => c.verdict === v).length
  lines.push('', `${count('ok')} OK, ${count('warning')} warnings, ${count('problem')} problems.`)
  return `${lines.join('\n')}\n`
}

/**
 * `npm run doctor -- replay FILE… [--log] [--json]`: payloads from files (and with --log, every one
 * recorded in the data folder's event log) into the sandbox named by PARLEY_SANDBOX_URL. 0 when every
 * one was accepted, 2 otherwise.
 */
async function runReplay(args: string[], io: DoctorIo, dataDir: string): Promise<number> {
  const files = args.filter((a) => !a.startsWith('--'))
  const url = io.env.PARLEY_SANDBOX_URL
  const say = (line: string) => io.stdout.write(`${line}
`)
  if (!url) {
    say('Replay needs a running sandbox with Parley subscribed to it: start "npm run sandbox", start Parley with the PARLEY_SANDBOX_* lines it prints, and give them to this command too.')
    return 2
  }
  const recorded = args.includes('--log')
    ? filterEntries(readEntries(join(dataDir, LOG_DIR)), { limit: 100_000 }).filter((e) => e.message === WEBHOOK_RECEIVED).reverse().map((e) => ({ label: `log ${e.time}`, payload: e.payload }))
    : []
  if (!files.length && !recorded.length) {
    say('Nothing to replay: name payload files (one webhook payload per file, as Meta sends it) or add --log.')
    return 2
  }
  let results
  try {
    results = await replayIntoSandbox(url, [...(await payloadFiles(files)), ...recorded])
  } catch (error) {
    say(`The sandbox at ${url} cannot be reached: ${(error as Error).message}`)
    return 2
  }
  if (args.includes('--json')) say(JSON.stringify({ results }, null, 2))
  else {
    const colour = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR
    for (const r of results) {
      const verdict: Verdict = r.ok ? 'ok' : 'problem'
      const label = colour ? `${COLOURS[verdict]}${LABELS[verdict].padEnd(8)}[0m` : LABELS[verdict].padEnd(8)
      const mapped = Object.entries(r.mapped).map(([from, to]) => `${from} → ${to}`)
      say(`${label} ${r.label}: ${r.outcome}${mapped.length ? ` Ids mapped onto the seed business: ${mapped.join(', ')}.` : ''}`)
    }
  }
  return results.every((r) => r.ok) ? 0 : 2
}

/** `npm run doctor [-- --json]`; returns the exit code: 0 OK, 1 warnings, 2 problems. */
export async function runDoctor(args: string[], io: DoctorIo): Promise<number> {
  const now = io.now ?? Date.now
  const dataDir = resolveDataDir(io.env)
  if (args[0] === 'replay') return runReplay(args.slice(1), io, dataDir)
  const { deps, close, configProblem } = doctorDeps(dataDir, io.env, now)
  let report: DiagnosticsReport
  try {
    report = await runChecks(deps)
  } finally {
    close()
  }
  if (configProblem) {
    report.checks.unshift({ id: 'settings', title: 'Settings file', integrationId: null, verdict: 'warning', ran: true, cause: configProblem, fix: 'Parley keeps the damaged file aside and starts with default settings; restore config.json from a backup if settings are missing.' })
  }
  if (args.includes('--json')) io.stdout.write(`${JSON.stringify({ dataDir, exitCode: exitCodeOf(report), ...report }, null, 2)}\n`)
  else io.stdout.write(formatReport(report, Boolean(io.stdout.isTTY) && !io.env.NO_COLOR))
  return exitCodeOf(report)
}
