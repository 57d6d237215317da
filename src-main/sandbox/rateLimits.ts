// Meta's limits, enforced on sandbox time:
// - per Instagram account, sliding 1-second windows: Conversations API 2/s, Send API 300/s (text, links,
//   reactions) and 10/s (audio/video) → (#613);
// - rolling-hour call budgets behind the usage headers: app (→ #4), user token (→ #17), page token (→ #32).
// X-App-Usage and X-Business-Use-Case-Usage report percentages of those budgets.
import type { Clock } from './clock.ts'
import { graphErrors } from './errors.ts'

export type PerSecondBucket = 'conversations' | 'send_text' | 'send_media'

export const PER_SECOND: Record<PerSecondBucket, number> = { conversations: 2, send_text: 300, send_media: 10 }

export interface HourlyBudgets {
  appCallsPerHour: number
  userCallsPerHour: number
  pageCallsPerHour: number
}

export const DEFAULT_BUDGETS: HourlyBudgets = { appCallsPerHour: 100_000, userCallsPerHour: 20_000, pageCallsPerHour: 50_000 }

const HOUR = 3_600_000

class SlidingWindow {
  private readonly times: number[] = []

  count(now: number, windowMs: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - windowMs) this.times.shift()
    return this.times.length
  }

  add(now: number): void {
    this.times.push(now)
  }
}

export class RateLimiter {
  enforce: boolean
  budgets: HourlyBudgets = { ...DEFAULT_BUDGETS }
  private readonly windows = new Map<string, SlidingWindow>()
  private readonly clock: Clock

  constructor(clock: Clock, enforce: boolean) {
    this.clock = clock
    this.enforce = enforce
  }

  private window(key: string): SlidingWindow {
    let window = this.windows.get(key)
    if (!window) this.windows.set(key, (window = new SlidingWindow()))
    return window
  }

  /** Counts one call against an Instagram account's per-second limit; throws (#613) when over it. */
  takePerSecond(bucket: PerSecondBucket, igAccountId: string): void {
    const now = this.clock.now()
    const window = this.window(`${bucket}:${igAccountId}`)
    if (this.enforce && window.count(now, 1000) >= PER_SECOND[bucket]) throw graphErrors.apiThrottled()
    window.add(now)
  }

  /** Counts one Graph call against the hourly budgets; throws #4, #17 or #32 once a budget is used up. */
  countCall(kind: { userId?: string; pageId?: string }): void {
    const now = this.clock.now()
    const app = this.window('app')
    const user = kind.userId && !kind.pageId ? this.window(`user:${kind.userId}`) : undefined
    const page = kind.pageId ? this.window(`page:${kind.pageId}`) : undefined
    if (this.enforce) {
      if (app.count(now, HOUR) >= this.budgets.appCallsPerHour) throw graphErrors.appThrottled()
      if (user && user.count(now, HOUR) >= this.budgets.userCallsPerHour) throw graphErrors.userThrottled()
      if (page && page.count(now, HOUR) >= this.budgets.pageCallsPerHour) throw graphErrors.pageThrottled()
    }
    app.add(now)
    user?.add(now)
    page?.add(now)
  }

  private percent(key: string, budget: number): number {
    return Math.min(100, Math.round((this.window(key).count(this.clock.now(), HOUR) * 100) / budget))
  }

  appUsageHeader(): string {
    const pct = this.percent('app', this.budgets.appCallsPerHour)
    return JSON.stringify({ call_count: pct, total_time: pct, total_cputime: pct })
  }

  /** Keyed by the business object (the page; the Instagram account too for messaging calls). */
  businessUsageHeader(pageId: string, igAccountId?: string): string {
    const pct = this.percent(`page:${pageId}`, this.budgets.pageCallsPerHour)
    const regain = pct >= 100 ? 60 : 0
    const entry = (type: string) => [{ type, call_count: pct, total_cputime: pct, total_time: pct, estimated_time_to_regain_access: regain }]
    const usage: Record<string, unknown> = { [pageId]: entry('pages') }
    if (igAccountId) {
      const conv = Math.min(100, Math.round((this.window(`conversations:${igAccountId}`).count(this.clock.now(), 1000) * 100) / PER_SECOND.conversations))
      usage[igAccountId] = [{ type: 'instagram', call_count: Math.max(pct, conv), total_cputime: pct, total_time: pct, estimated_time_to_regain_access: 0 }]
    }
    return JSON.stringify(usage)
  }

  reset(): void {
    this.windows.clear()
    this.budgets = { ...DEFAULT_BUDGETS }
  }
}
