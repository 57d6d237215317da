// T2: the event log. The same entries the logger writes, as JSON lines in size-capped rotating files
// under the data folder (`logs/events.log`, then `events.1.log` …), redacted before they are written.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../app/logger.ts'
import { redactString, redactValue } from './redact.ts'

export type LogLevel = 'info' | 'warn' | 'error'

export interface LogEntry {
  time: string
  level: LogLevel
  message: string
  /** An integration's id or its Instagram account id, when the entry concerns one. */
  integration?: string
  [field: string]: unknown
}

export interface LogFilter {
  level?: LogLevel | undefined
  /** Entries naming any of these ids (an integration's id and its Instagram account id). */
  integration?: readonly string[] | undefined
  /** ISO times, inclusive. */
  since?: string | undefined
  until?: string | undefined
  /** Newest first, at most this many (default 500). */
  limit?: number | undefined
}

export interface EventLogOptions {
  dir: string
  maxFileBytes?: number
  maxFiles?: number
  /** The supervisor's Include message text (off by default). */
  includeText?: () => boolean
  /** Known secret values to cut out wherever they appear. */
  secrets?: () => readonly string[]
  now?: () => number
}

export interface EventLog extends Logger {
  readonly dir: string
  read(filter?: LogFilter): LogEntry[]
  /** The latest webhook delivery for any of these ids (epoch ms), or null. */
  lastDelivery(ids: readonly string[]): number | null
}

export const LOG_DIR = 'logs'
const LEVELS: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 }

export function logFiles(dir: string, maxFiles: number): string[] {
  return Array.from({ length: maxFiles }, (_, i) => join(dir, i === 0 ? 'events.log' : `events.${i}.log`))
}

/** Parses log lines (newest file first), skipping lines that are not entries. */
export function readEntries(dir: string, maxFiles = 5): LogEntry[] {
  const entries: LogEntry[] = []
  for (const file of logFiles(dir, maxFiles).reverse()) {
    if (!existsSync(file)) continue
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue
      try {
        const entry = JSON.parse(line) as LogEntry
        if (typeof entry.time === 'string' && typeof entry.message === 'string' && entry.level in LEVELS) entries.push(entry)
      } catch {
        // A line cut by a crash: the rest of the log stays readable.
      }
    }
  }
  return entries
}

export function filterEntries(entries: readonly LogEntry[], filter: LogFilter = {}): LogEntry[] {
  const ids = filter.integration?.length ? new Set(filter.integration) : null
  const named = (entry: LogEntry) => {
    const values = [entry.integration, entry.instagram].flat().filter((v): v is string => typeof v === 'string')
    return values.some((v) => ids!.has(v))
  }
  const out = entries.filter(
    (entry) =>
      (!filter.level || LEVELS[entry.level] >= LEVELS[filter.level]) &&
      (!ids || named(entry)) &&
      (!filter.since || entry.time >= filter.since) &&
      (!filter.until || entry.time <= filter.until),
  )
  return out.reverse().slice(0, filter.limit ?? 500)
}

export function createEventLog(options: EventLogOptions): EventLog {
  const maxFileBytes = options.maxFileBytes ?? 1_000_000
  const maxFiles = Math.max(2, options.maxFiles ?? 5)
  const now = options.now ?? Date.now
  const files = logFiles(options.dir, maxFiles)
  let ready = false
  const rotate = () => {
    rmSync(files[files.length - 1]!, { force: true })
    for (let i = files.length - 2; i >= 0; i--) if (existsSync(files[i]!)) renameSync(files[i]!, files[i + 1]!)
  }
  const write = (level: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    const redactOptions = { includeText: options.includeText?.() ?? false, secrets: options.secrets?.() ?? [] }
    const entry = { time: new Date(now()).toISOString(), level, message: redactString(message, redactOptions), ...(redactValue(fields, redactOptions) as object) }
    const line = `${JSON.stringify(entry)}\n`
    try {
      if (!ready) mkdirSync(options.dir, { recursive: true })
      ready = true
      if (existsSync(files[0]!) && statSync(files[0]!).size + Buffer.byteLength(line) > maxFileBytes) rotate()
      appendFileSync(files[0]!, line, { mode: 0o600 })
    } catch {
      // The log must never stop Parley: a full disk loses log lines, not messages.
    }
  }
  return {
    dir: options.dir,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    read: (filter) => filterEntries(readEntries(options.dir, maxFiles), filter),
    lastDelivery(ids) {
      const found = filterEntries(readEntries(options.dir, maxFiles), { integration: ids, limit: 100_000 }).find((e) => e.message === WEBHOOK_RECEIVED)
      return found ? Date.parse(found.time) : null
    },
  }
}

/** The message of the entry ingest writes for every verified webhook payload (replayable, T4). */
export const WEBHOOK_RECEIVED = 'webhook received'

/**
 * The terminal's logger redacted the same way (never message text), without recorded payloads:
 * those are kept for replay in the event log only.
 */
export function redactingLogger(inner: Logger): Logger {
  const clean = (fields: Record<string, unknown> | undefined) => {
    if (!fields) return fields
    const { payload: _payload, ...rest } = fields
    return redactValue(rest, { includeText: false }) as Record<string, unknown>
  }
  return {
    info: (message, fields) => inner.info(message, clean(fields)),
    warn: (message, fields) => inner.warn(message, clean(fields)),
    error: (message, fields) => inner.error(message, clean(fields)),
  }
}

/** Both loggers: the terminal's and the event log. */
export function teeLogger(...loggers: Logger[]): Logger {
  return {
    info: (message, fields) => loggers.forEach((l) => l.info(message, fields)),
    warn: (message, fields) => loggers.forEach((l) => l.warn(message, fields)),
    error: (message, fields) => loggers.forEach((l) => l.error(message, fields)),
  }
}
