// At start-up: replies a previous run left ambiguous (or failed half-way back to waiting) must be
// found again. The outbox lists only waiting replies globally, so the rest is found per
// conversation — and only when the counts say there is anything to find.
import type { OutboxItem, Store } from '../../store/index.ts'

const PAGE = 500

/** A failure that only meant "not sent, wait": a crash came between it and the move back to waiting. */
const isInterruptedWait = (item: OutboxItem) =>
  item.state === 'failed' && item.lastError !== null && /^(network|rate_limited)\./.test(item.lastError.code)

export async function findStuckReplies(store: Store): Promise<{ ambiguous: OutboxItem[]; interruptedWaits: OutboxItem[] }> {
  const found = { ambiguous: [] as OutboxItem[], interruptedWaits: [] as OutboxItem[] }
  const { rows } = await store.stats()
  const waiting = (await store.outbox.pending(10_000)).length
  if (rows.outboxUnsent <= waiting) return found

  let after: { lastActivityAt: number; id: string } | undefined
  for (;;) {
    const conversations = await store.conversations.list({ limit: PAGE, ...(after ? { after } : {}) })
    for (const conversation of conversations) {
      for (const item of await store.outbox.unsent(conversation.id)) {
        if (item.state === 'ambiguous') found.ambiguous.push(item)
        else if (isInterruptedWait(item)) found.interruptedWaits.push(item)
      }
    }
    const last = conversations.at(-1)
    if (conversations.length < PAGE || !last) return found
    after = { lastActivityAt: last.lastActivityAt, id: last.id }
  }
}
