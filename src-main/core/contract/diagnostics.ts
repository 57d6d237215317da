// T1–T4 in the window: check results, the event log, bundles and replay. Nothing here carries a
// token, a secret, a URL or (unless Include message text is on) message text: core redacts first.
import { z } from 'zod'

export const CheckView = z.object({
  id: z.string(),
  title: z.string(),
  integrationId: z.string().nullable(),
  verdict: z.enum(['ok', 'warning', 'problem']),
  ran: z.boolean(),
  cause: z.string(),
  fix: z.string().nullable(),
})
export type CheckView = z.infer<typeof CheckView>

export const DiagnosticsReportView = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  mode: z.string(),
  checks: z.array(CheckView),
})
export type DiagnosticsReportView = z.infer<typeof DiagnosticsReportView>

export const LogLevel = z.enum(['info', 'warn', 'error'])
export type LogLevel = z.infer<typeof LogLevel>

export const LogEntryView = z.object({
  time: z.string(),
  level: LogLevel,
  message: z.string(),
  /** The integration (or Instagram account) ids the entry names. */
  integrations: z.array(z.string()),
  /** The entry's other fields, redacted, as JSON. */
  details: z.string(),
  /** A recorded webhook payload that can be replayed (T4). */
  replayable: z.boolean(),
})
export type LogEntryView = z.infer<typeof LogEntryView>

export const LogQuery = z
  .object({
    level: LogLevel.optional(),
    integrationId: z.string().max(200).optional(),
    since: z.string().max(40).optional(),
    until: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict()

export const DiagnosticsSettings = z.object({ includeMessageText: z.boolean() })

export const BundleView = z.object({
  createdAt: z.string(),
  parley: z.object({ version: z.string(), mode: z.string(), engine: z.string() }),
  system: z.object({ os: z.string(), release: z.string(), arch: z.string(), node: z.string(), electron: z.string().nullable() }),
  integrations: z.array(z.object({ id: z.string(), name: z.string(), instagram: z.object({ id: z.string(), username: z.string() }), status: z.string() })),
  checks: DiagnosticsReportView,
  /** Store statistics as JSON (counts and sizes, never content). */
  store: z.string().nullable(),
  log: z.array(LogEntryView),
})
export type BundleView = z.infer<typeof BundleView>

export const ReplayResultView = z.object({
  label: z.string(),
  ok: z.boolean(),
  outcome: z.string(),
  mapped: z.record(z.string(), z.string()),
})
export type ReplayResultView = z.infer<typeof ReplayResultView>

export const ReplayInput = z
  .object({
    /** Times of `webhook received` entries in the event log. */
    logTimes: z.array(z.string().max(40)).max(200).optional(),
    /** Payload files the person chose, read by the window: one payload per file. */
    files: z.array(z.object({ name: z.string().max(500), text: z.string().max(1_000_000) }).strict()).max(50).optional(),
  })
  .strict()
