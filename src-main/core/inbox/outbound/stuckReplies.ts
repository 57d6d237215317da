// At start-up: replies a previous run left ambiguous (or failed half-way back to waiting) must be
// found again.
import type { OutboxItem, Store } from '../../store/index.ts'

const LIMIT = 10_000

/** A failure that only meant "not sent, wait": a crash came between it and the move back to waiting. */
const isInterruptedWait = (item: OutboxItem) =>
  item.state === 'failed' && item.lastError !== null && /^(network|rate_limited)\./.test(item.lastError.code)

export async function findStuckReplies(store: Store): Promise<{ ambiguous: OutboxItem[]; interruptedWaits: OutboxItem[] }> {
  const [ambiguous, failed] = await Promise.all([store.outbox.inState('ambiguous', LIMIT), store.outbox.inState('failed', LIMIT)])
  return { ambiguous, interruptedWaits: failed.filter(isInterruptedWait) }
}
