// Meta's usage headers (fact sheet §10): percentages of the rate-limit budgets, throttling at 100.
// X-App-Usage and X-Page-Usage: {"call_count","total_time","total_cputime"}.
// X-Business-Use-Case-Usage: {"<object id>":[{"type","call_count","total_cputime","total_time",
// "estimated_time_to_regain_access" (minutes)}]}. Headers that do not parse are ignored, never fatal.

export interface UsageCounts {
  callCount: number
  totalTime: number
  totalCputime: number
  /** Minutes until calls are accepted again; 0 when not throttled. */
  estimatedTimeToRegainAccess: number
}

export interface BusinessUsage extends UsageCounts {
  type: string
}

/** What one response's headers said. */
export interface UsageReading {
  app?: UsageCounts
  page?: UsageCounts
  business?: Record<string, BusinessUsage[]>
}

/** The latest of everything seen, as `usage()` and `onUsage` give it. */
export interface GraphUsage {
  /** Epoch ms of the last reading; null before the first. */
  updatedAt: number | null
  app: UsageCounts | null
  page: UsageCounts | null
  /** Latest reading per business object (Page or Instagram account id). */
  business: Record<string, BusinessUsage[]>
  /** Highest percentage per business object id. */
  perObject: Record<string, number>
  /** Highest percentage anywhere: how close Parley is to being throttled. */
  maxPercent: number
}

const number = (value: unknown): number => {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : 0
}

function counts(value: unknown): UsageCounts | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const v = value as Record<string, unknown>
  return {
    callCount: number(v.call_count),
    totalTime: number(v.total_time),
    totalCputime: number(v.total_cputime),
    estimatedTimeToRegainAccess: number(v.estimated_time_to_regain_access),
  }
}

function json(header: string | null): unknown {
  if (!header) return undefined
  try {
    return JSON.parse(header)
  } catch {
    return undefined
  }
}

function business(value: unknown): Record<string, BusinessUsage[]> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const result: Record<string, BusinessUsage[]> = {}
  for (const [id, entries] of Object.entries(value)) {
    if (!Array.isArray(entries)) continue
    result[id] = entries.flatMap((entry: unknown) => {
      const c = counts(entry)
      if (!c) return []
      const type = (entry as Record<string, unknown>).type
      return [{ type: typeof type === 'string' ? type : 'unknown', ...c }]
    })
  }
  return Object.keys(result).length > 0 ? result : undefined
}

/** The usage a response reports, or undefined when it carries no usage header. */
export function parseUsageHeaders(headers: Headers): UsageReading | undefined {
  const reading: UsageReading = {}
  const app = counts(json(headers.get('x-app-usage')))
  const page = counts(json(headers.get('x-page-usage')))
  const buc = business(json(headers.get('x-business-use-case-usage')))
  if (app) reading.app = app
  if (page) reading.page = page
  if (buc) reading.business = buc
  return app || page || buc ? reading : undefined
}

const percent = (c: UsageCounts): number => Math.max(c.callCount, c.totalTime, c.totalCputime)

/** The longest wait Meta announces in a reading, in ms; undefined when it names none. */
export function regainAccessMs(reading: UsageReading | undefined): number | undefined {
  if (!reading) return undefined
  const all = [reading.app, reading.page, ...Object.values(reading.business ?? {}).flat()]
  const minutes = Math.max(0, ...all.map((c) => c?.estimatedTimeToRegainAccess ?? 0))
  return minutes > 0 ? minutes * 60_000 : undefined
}

/** Keeps the latest reading per source so that the UI can show headroom (S13, T1). */
export class UsageTracker {
  private latest: GraphUsage = { updatedAt: null, app: null, page: null, business: {}, perObject: {}, maxPercent: 0 }

  record(reading: UsageReading, at: number): GraphUsage {
    const business = { ...this.latest.business, ...reading.business }
    const perObject: Record<string, number> = {}
    for (const [id, entries] of Object.entries(business)) perObject[id] = Math.max(0, ...entries.map(percent))
    const app = reading.app ?? this.latest.app
    const page = reading.page ?? this.latest.page
    const maxPercent = Math.max(0, ...Object.values(perObject), ...[app, page].map((c) => (c ? percent(c) : 0)))
    this.latest = { updatedAt: at, app, page, business, perObject, maxPercent }
    return this.snapshot()
  }

  snapshot(): GraphUsage {
    return structuredClone(this.latest)
  }
}
