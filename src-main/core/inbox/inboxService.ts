import { ParleyError } from '../contract/errors.ts'
import type { ConversationView, InboxPage, ReplyWindowView, ThreadView } from '../contract/inbox.ts'
import type { Problem } from '../contract/integrations.ts'
import type { Store } from '../store/index.ts'
import { conversationView, messageView, preview, type IntegrationInfo, type MediaAddresser } from './inboxViews.ts'
import { outboxView } from './outboxView.ts'

/** The local agent, until routing (R1–R6) assigns conversations to agents on several machines. */
export const LOCAL_AGENT = 'local'

export interface InboxServiceDeps {
  store: Store
  integration: (integrationId: string) => IntegrationInfo
  /** A3: the reply window at `now` for a customer whose last message was at that time. */
  replyWindow: (lastCustomerMessageAt: number | null, now: number) => { view: ReplyWindowView; problem: Problem | null; messagingType: 'RESPONSE' | 'MESSAGE_TAG' | null }
  now?: () => number
  /** Where the host's window loads avatars and attachments from (the media route); none by default. */
  mediaAddress?: MediaAddresser
}

// Paging cursors are opaque to the window: the keys of the last row, base64url JSON.
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
function decode<T>(cursor: string | undefined): T | undefined {
  if (cursor === undefined) return undefined
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T
  } catch {
    throw new ParleyError('invalid_cursor', 'That list position is no longer valid; start from the top.')
  }
}

/** A1, A3: the agent's conversations and threads, read from the local store (readable offline, A10). */
export function createInboxService(deps: InboxServiceDeps) {
  const now = deps.now ?? Date.now
  const { store } = deps

  const conversation = async (id: string) => {
    const found = await store.conversations.get(id)
    if (!found) throw new ParleyError('not_found', 'That conversation does not exist.')
    return found
  }

  return {
    async list(input: { after?: string; limit: number }): Promise<InboxPage> {
      const after = decode<{ lastActivityAt: number; id: string }>(input.after)
      const rows = await store.conversations.list({ agentId: LOCAL_AGENT, limit: input.limit, ...(after ? { after } : {}) })
      const last = rows.at(-1)
      const at = now()
      return {
        items: rows.map((row) => conversationView(row, deps.integration(row.integrationId), deps.replyWindow(row.lastCustomerMessageAt, at).view, deps.mediaAddress)),
        nextCursor: rows.length === input.limit && last ? encode({ lastActivityAt: last.lastActivityAt, id: last.id }) : null,
        total: await store.conversations.count({ agentId: LOCAL_AGENT }),
      }
    },

    /** The agent's rows among these conversations (those that changed), newest activity first, and the new total. */
    async conversations(ids: string[]): Promise<{ items: ConversationView[]; total: number }> {
      const unique = [...new Set(ids)]
      const rows = await store.conversations.list({ agentId: LOCAL_AGENT, ids: unique, limit: unique.length })
      const at = now()
      return {
        items: rows.map((row) => conversationView(row, deps.integration(row.integrationId), deps.replyWindow(row.lastCustomerMessageAt, at).view, deps.mediaAddress)),
        total: await store.conversations.count({ agentId: LOCAL_AGENT }),
      }
    },

    async thread(input: { conversationId: string; before?: string; limit: number }): Promise<ThreadView> {
      const row = await conversation(input.conversationId)
      const participant = await store.participants.get(row.igAccountId, row.customerIgsid)
      const info = deps.integration(row.integrationId)
      const before = decode<{ createdAt: number; mid: string }>(input.before)
      const messages = await store.messages.page(row.id, { limit: input.limit, ...(before ? { before } : {}) })
      const quotes = new Map<string, string | null>()
      for (const m of messages) {
        if (m.replyToMid && !quotes.has(m.replyToMid)) quotes.set(m.replyToMid, (await store.messages.get(m.replyToMid))?.text ?? null)
      }
      const window = deps.replyWindow(row.lastCustomerMessageAt, now())
      const closedByDeletion: Problem | null = info.deleted
        ? { code: 'integration_deleted', message: 'This conversation belongs to a deleted integration: it can be read but not answered.', remedy: null }
        : null
      const last = messages.at(-1)
      const newest = before ? null : messages[0]
      const summary = {
        ...row,
        customer: participant ? { name: participant.name, username: participant.username, profilePicUrl: participant.profilePicUrl } : null,
        lastMessage: newest
          ? { mid: newest.mid, direction: newest.direction, kind: newest.kind, text: newest.text, createdAt: newest.createdAt, withdrawn: newest.withdrawnAt !== null }
          : null,
      }
      return {
        conversation: conversationView(summary, info, window.view, deps.mediaAddress),
        messages: messages.map((m) => messageView(m, info, (mid) => quotes.get(mid) ?? null, deps.mediaAddress)),
        nextCursor: messages.length === input.limit && last ? encode({ createdAt: last.createdAt, mid: last.mid }) : null,
        outbox: (await store.outbox.unsent(row.id)).map(outboxView),
        composer: {
          enabled: !closedByDeletion && window.problem === null,
          messagingType: closedByDeletion ? null : window.messagingType,
          problem: closedByDeletion ?? window.problem,
        },
      }
    },

    async markRead(conversationId: string): Promise<void> {
      if (!(await store.conversations.markRead(conversationId))) throw new ParleyError('not_found', 'That conversation does not exist.')
    },

    /** For the Sandbox view: the customers' latest messages Parley holds, to unsend or react to. */
    async recentCustomerMessages(limit = 20) {
      const recent = []
      for (const row of await store.conversations.list({ limit: 10 })) {
        for (const m of await store.messages.page(row.id, { limit: 10 })) {
          if (m.direction === 'inbound' && m.withdrawnAt === null) {
            recent.push({ mid: m.mid, from: row.customerIgsid, to: row.igAccountId, preview: preview(m.text) ?? m.kind, at: new Date(m.createdAt).toISOString() })
          }
        }
      }
      return recent.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit)
    },
  }
}
export type InboxService = ReturnType<typeof createInboxService>
