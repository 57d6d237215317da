// What the poller remembers between passes, in the store's sync cursors (A2, S13 "last sync").
// - Scope `conversations`: the newest `updated_time` of the last complete pass (the watermark):
//   the next pass walks the list (newest first) until it is past it.
// - Scope = a Graph conversation id: that conversation's `updated_time` when it was last read, and
//   whether it had "settled" then. `updated_time` has whole seconds; a conversation read within
//   the same seconds it changed may change again with the same value, so it is read once more.
import { CONVERSATIONS_SCOPE, type CursorRepository } from '../../store/index.ts'
import { epochMsOf, isRecord } from './values.ts'

/** How long after its `updated_time` a conversation must be read to count as settled. */
export const SETTLE_MS = 2000

export interface ConversationMark {
  updatedTime: string
  settled: boolean
}

function parse(cursor: string | null | undefined): Record<string, unknown> | null {
  if (!cursor) return null
  try {
    const value: unknown = JSON.parse(cursor)
    return isRecord(value) ? value : null
  } catch {
    return null // An unreadable cursor only costs a fuller pass.
  }
}

export function createSyncCursors(cursors: CursorRepository, now: () => number) {
  return {
    async watermark(integrationId: string): Promise<{ text: string; ms: number } | null> {
      const value = parse((await cursors.get(integrationId, CONVERSATIONS_SCOPE))?.cursor)
      const text = typeof value?.watermark === 'string' ? value.watermark : null
      const ms = epochMsOf(text)
      return text !== null && ms !== null ? { text, ms } : null
    },
    async setWatermark(integrationId: string, updatedTime: string): Promise<void> {
      await cursors.set(integrationId, CONVERSATIONS_SCOPE, { cursor: JSON.stringify({ watermark: updatedTime }), syncedAt: now() })
    },
    async conversation(integrationId: string, conversationId: string): Promise<ConversationMark | null> {
      const value = parse((await cursors.get(integrationId, conversationId))?.cursor)
      return typeof value?.updatedTime === 'string' ? { updatedTime: value.updatedTime, settled: value.settled === true } : null
    },
    async setConversation(integrationId: string, conversationId: string, updatedTime: string): Promise<void> {
      const updatedMs = epochMsOf(updatedTime)
      const settled = updatedMs !== null && now() >= updatedMs + SETTLE_MS
      await cursors.set(integrationId, conversationId, { cursor: JSON.stringify({ updatedTime, settled }), syncedAt: now() })
    },
  }
}
