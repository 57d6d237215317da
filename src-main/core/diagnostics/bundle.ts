// T3: a diagnostic bundle — one JSON file with settings (without secrets), check results, the
// redacted event log, store statistics, versions and the OS — and reading one back, on any Parley,
// offline, without mixing any of it into the local store. A checksum tells a damaged file apart.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { arch, platform, release } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import type { DiagnosticsReport } from './checks.ts'
import type { LogEntry } from './eventLog.ts'
import { redactValue } from './redact.ts'

export const BUNDLE_FORMAT = 'parley-diagnostics-bundle'
export const BUNDLE_VERSION = 1
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024

const CheckSchema = z.object({
  id: z.string(), title: z.string(), integrationId: z.string().nullable(), verdict: z.enum(['ok', 'warning', 'problem']),
  ran: z.boolean(), cause: z.string(), fix: z.string().nullable(),
})

export const BundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
  createdAt: z.string(),
  parley: z.object({ version: z.string(), mode: z.string(), engine: z.string() }),
  system: z.object({ os: z.string(), release: z.string(), arch: z.string(), node: z.string(), electron: z.string().nullable() }),
  settings: z.record(z.string(), z.unknown()),
  integrations: z.array(z.object({ id: z.string(), name: z.string(), pageId: z.string(), instagram: z.object({ id: z.string(), username: z.string() }), status: z.string() }).passthrough()),
  checks: z.object({ startedAt: z.string(), finishedAt: z.string(), mode: z.string(), checks: z.array(CheckSchema) }),
  store: z.record(z.string(), z.unknown()).nullable(),
  log: z.array(z.object({ time: z.string(), level: z.enum(['info', 'warn', 'error']), message: z.string() }).passthrough()),
})
export type Bundle = z.infer<typeof BundleSchema>

export class BundleError extends Error {
  readonly code: 'bundle_unreadable' | 'bundle_foreign' | 'bundle_damaged' | 'bundle_too_new'
  constructor(code: BundleError['code'], message: string) {
    super(message)
    this.code = code
  }
}

export interface BundleInput {
  version: string
  mode: string
  engine: string
  settings: Record<string, unknown>
  integrations: Bundle['integrations']
  checks: DiagnosticsReport
  store: Record<string, unknown> | null
  log: LogEntry[]
  /** Every secret value Parley holds now (page tokens, the App Secret): cut out wherever they appear. */
  secrets: readonly string[]
  includeText: boolean
  now?: () => number
}

const checksum = (body: string) => createHash('sha256').update(body).digest('hex')

/** The bundle's content, scrubbed once more as a whole: nothing in it may carry a secret or a URL. */
export function buildBundle(input: BundleInput): Bundle {
  const redact = <T>(value: T): T => redactValue(value, { includeText: input.includeText, secrets: input.secrets }) as T
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    createdAt: new Date((input.now ?? Date.now)()).toISOString(),
    parley: { version: input.version, mode: input.mode, engine: input.engine },
    system: { os: platform(), release: release(), arch: arch(), node: process.versions.node, electron: process.versions.electron ?? null },
    settings: redact(input.settings),
    integrations: redact(input.integrations),
    checks: redact(input.checks),
    store: input.store,
    log: redact(input.log),
  }
}

/** Writes the bundle as one file in `dir`; returns its path. */
export function writeBundle(bundle: Bundle, dir: string): string {
  mkdirSync(dir, { recursive: true })
  const body = JSON.stringify(bundle)
  const name = `parley-diagnostics-${bundle.createdAt.replace(/[:.]/g, '-')}.json`
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify({ checksum: checksum(body), bundle: JSON.parse(body) as unknown }, null, 1), { mode: 0o600 })
  return path
}

/** Reads a bundle file; a damaged, foreign or too new file is refused in plain words. */
export function readBundle(path: string): Bundle {
  let text: string
  try {
    if (statSync(path).size > MAX_BUNDLE_BYTES) throw new BundleError('bundle_foreign', `${path} is too large to be a Parley diagnostic bundle.`)
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof BundleError) throw error
    throw new BundleError('bundle_unreadable', `${path} cannot be read: ${(error as Error).message}`)
  }
  return parseBundle(text, path)
}

/** A bundle's text, checked: format, version, checksum and shape. `name` names it in errors. */
export function parseBundle(text: string, name: string): Bundle {
  let outer: unknown
  try {
    outer = JSON.parse(text)
  } catch {
    throw new BundleError('bundle_damaged', `${name} is not a Parley diagnostic bundle, or it is damaged (it is not complete JSON).`)
  }
  const record = typeof outer === 'object' && outer !== null ? (outer as Record<string, unknown>) : {}
  const inner = typeof record.bundle === 'object' && record.bundle !== null ? (record.bundle as Record<string, unknown>) : null
  if (!inner || inner.format !== BUNDLE_FORMAT) throw new BundleError('bundle_foreign', `${name} is not a Parley diagnostic bundle.`)
  if (typeof inner.formatVersion === 'number' && inner.formatVersion > BUNDLE_VERSION) {
    throw new BundleError('bundle_too_new', `${name} was made by a newer Parley (bundle format ${inner.formatVersion}); update Parley to open it.`)
  }
  if (record.checksum !== checksum(JSON.stringify(inner))) throw new BundleError('bundle_damaged', `${name} is damaged: its content does not match its checksum.`)
  const parsed = BundleSchema.safeParse(inner)
  if (!parsed.success) throw new BundleError('bundle_damaged', `${name} is damaged: ${parsed.error.issues[0]?.path.join('.') ?? 'its content'} is not what a bundle holds.`)
  return parsed.data
}
