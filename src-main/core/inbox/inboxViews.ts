import type { ConversationView, MessageView, ReplyWindowView } from '../contract/inbox.ts'
import { mimeAllowed } from '../integrations/contentProfiles.ts'
import type { ConversationSummary, Message } from '../store/index.ts'

/** What the window needs to know about the integration a conversation belongs to. */
export interface IntegrationInfo {
  name: string
  deleted: boolean
  /** The content profile's inbound MIME patterns (S8). */
  inbound: readonly string[]
}

const iso = (ms: number) => new Date(ms).toISOString()
const PREVIEW_CHARS = 120

export function preview(text: string | null): string | null {
  if (text === null) return null
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat
}

/** A1: one inbox row. */
export function conversationView(row: ConversationSummary, integration: IntegrationInfo, window: ReplyWindowView): ConversationView {
  return {
    id: row.id,
    integrationId: row.integrationId,
    integrationName: integration.name,
    integrationDeleted: integration.deleted,
    customer: {
      igsid: row.customerIgsid,
      name: row.customer?.name ?? null,
      username: row.customer?.username ?? null,
      avatarUrl: null,
    },
    lastMessage: row.lastMessage
      ? {
          direction: row.lastMessage.direction,
          kind: row.lastMessage.kind,
          preview: row.lastMessage.withdrawn ? null : preview(row.lastMessage.text),
          withdrawn: row.lastMessage.withdrawn,
          at: iso(row.lastMessage.createdAt),
        }
      : null,
    unreadCount: row.unreadCount,
    lastActivityAt: iso(row.lastActivityAt),
    window,
  }
}

/** A thread entry. Attachments the content profile does not allow are marked, never loaded. */
export function messageView(message: Message, integration: IntegrationInfo, quoted: (mid: string) => string | null): MessageView {
  const withdrawn = message.withdrawnAt !== null
  return {
    mid: message.mid,
    direction: message.direction,
    kind: message.kind,
    text: withdrawn ? null : message.text,
    attachments: withdrawn
      ? []
      : (message.attachments ?? []).map((a) => {
          const blocked = a.mime ? !mimeAllowed(a.mime, integration.inbound) : !integration.inbound.includes('*/*')
          return { type: a.type, mime: a.mime ?? null, name: a.name ?? null, url: null, blocked }
        }),
    replyTo: message.replyToMid ? { mid: message.replyToMid, preview: preview(quoted(message.replyToMid)) } : null,
    story: message.kind === 'story_mention' ? { kind: 'mention' } : message.kind === 'story_reply' ? { kind: 'reply' } : null,
    reaction: message.reaction ? { reaction: message.reaction.reaction, emoji: message.reaction.emoji } : null,
    seen: message.seenAt !== null,
    withdrawn,
    createdAt: iso(message.createdAt),
  }
}
