import type { ConversationView, MessageView, ReplyWindowView } from '../contract/inbox.ts'
import { iso } from '../contract/isoTime.ts'
import type { ConversationSummary, Message } from '../store/index.ts'
import { attachmentBlocked, loadableAttachmentUrl } from './media/attachmentRules.ts'
import type { MediaRef } from './media/mediaPaths.ts'

/** What the window needs to know about the integration a conversation belongs to. */
export interface IntegrationInfo {
  name: string
  deleted: boolean
  /** The content profile's inbound MIME patterns (S8). */
  inbound: readonly string[]
}

/** The address the host's window loads a piece of media from (served by main); null when there is none. */
export type MediaAddresser = (ref: MediaRef) => string | null
const noMedia: MediaAddresser = () => null

const PREVIEW_CHARS = 120

export function preview(text: string | null): string | null {
  if (text === null) return null
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat
}

/** A1: one inbox row. */
export function conversationView(row: ConversationSummary, integration: IntegrationInfo, window: ReplyWindowView, media: MediaAddresser = noMedia): ConversationView {
  return {
    id: row.id,
    assignedTo: null,
    integrationId: row.integrationId,
    integrationName: integration.name,
    integrationDeleted: integration.deleted,
    customer: {
      igsid: row.customerIgsid,
      name: row.customer?.name ?? null,
      username: row.customer?.username ?? null,
      avatarUrl: row.customer?.profilePicUrl ? media({ kind: 'avatar', conversationId: row.id }) : null,
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
    routing: row.state === 'ended' ? 'ended' : row.assignedAgentId ? 'interacting' : 'waiting',
  }
}

/** A thread entry. Attachments the content profile does not allow are marked, never loaded. */
export function messageView(message: Message, integration: IntegrationInfo, quoted: (mid: string) => string | null, media: MediaAddresser = noMedia): MessageView {
  const withdrawn = message.withdrawnAt !== null
  return {
    mid: message.mid,
    direction: message.direction,
    kind: message.kind,
    text: withdrawn ? null : message.text,
    attachments: withdrawn
      ? []
      : (message.attachments ?? []).map((a, index) => {
          const blocked = attachmentBlocked(a, integration.inbound)
          // Only what the media route will serve gets an address; Meta's URL itself never leaves main.
          const url = loadableAttachmentUrl(message, index, integration.inbound) ? media({ kind: 'attachment', mid: message.mid, index }) : null
          return { type: a.type, mime: a.mime ?? null, name: a.name ?? null, url, blocked }
        }),
    replyTo: message.replyToMid ? { mid: message.replyToMid, preview: preview(quoted(message.replyToMid)) } : null,
    story: message.kind === 'story_mention' ? { kind: 'mention' } : message.kind === 'story_reply' ? { kind: 'reply' } : null,
    reaction: message.reaction ? { reaction: message.reaction.reaction, emoji: message.reaction.emoji } : null,
    seen: message.seenAt !== null,
    withdrawn,
    createdAt: iso(message.createdAt),
  }
}
