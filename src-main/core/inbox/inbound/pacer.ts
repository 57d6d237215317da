// The Conversations API allows 2 calls/s per Instagram account (meta-platform.md §10). A token
// bucket per account, kept as the time its next token is due (GCRA), with an injected clock and
// sleep so tests run on virtual time. Burst 1 by default: a bucket of 2 would allow 3 calls within
// some 1-second window (2 at once, 1 refilled half a second later), which Meta's sliding count refuses.

export interface Pacer {
  /** Resolves once one more call for `key` fits; returns how long it waited (ms). */
  take(key: string): Promise<number>
}

export interface PacerOptions {
  ratePerSecond?: number
  burst?: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  /** Called before each wait (diagnostics, tests). */
  onWait?: (key: string, ms: number) => void
}

export const CONVERSATIONS_API_RATE = 2

export function createTokenBucketPacer(options: PacerOptions): Pacer {
  const rate = options.ratePerSecond ?? CONVERSATIONS_API_RATE
  const burst = options.burst ?? 1
  if (!(rate > 0) || !Number.isInteger(burst) || burst < 1) throw new TypeError('A pacer needs a positive rate and a whole burst of at least 1')
  const interval = Math.ceil(1000 / rate)
  /** Per key: when the bucket is next full enough (theoretical arrival time). */
  const due = new Map<string, number>()

  return {
    async take(key) {
      let waited = 0
      for (;;) {
        const at = options.now()
        const tat = Math.max(due.get(key) ?? at, at)
        const allowedAt = tat - (burst - 1) * interval
        if (at >= allowedAt) {
          due.set(key, tat + interval)
          return waited
        }
        const wait = allowedAt - at
        options.onWait?.(key, wait)
        waited += wait
        await options.sleep(wait)
      }
    },
  }
}
