// When a failed call is repeated, and after how long. Only calls that are safe to repeat (GETs, and
// the few POSTs that only set a state) are ever retried; a send is never repeated here, because a
// reply sent twice is worse than one the agent re-sends after checking.
import type { GraphError } from './errors.ts'

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number
  /** First backoff; doubles per attempt, with jitter. */
  baseDelayMs: number
  maxDelayMs: number
  /** Longest wait Parley accepts inside one call when Meta names a time to regain access. */
  maxWaitMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxWaitMs: 60_000 }

// Network failures before any answer arrived; a broken-off answer is left to the caller.
const RETRYABLE_NETWORK = new Set(['network.offline', 'network.dropped', 'network.timeout'])

/**
 * Milliseconds to wait before the next attempt, or null to give up and throw.
 * `attempt` is the number of the attempt that just failed (1-based).
 */
export function retryDelay(error: GraphError, attempt: number, idempotent: boolean, policy: RetryPolicy, random: () => number): number | null {
  if (!idempotent || attempt >= policy.maxAttempts) return null
  const retryable = error.kind === 'temporary' || error.kind === 'rate_limited' || RETRYABLE_NETWORK.has(error.reason)
  if (!retryable) return null
  if (error.retryAfterMs !== undefined) return error.retryAfterMs <= policy.maxWaitMs ? error.retryAfterMs : null
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  // "Equal jitter": at least half the ceiling, so retries do spread out, never all at once.
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
