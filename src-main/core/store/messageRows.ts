// Writing and reading message rows, shared by the message repository and the outbox (a sent reply
// becomes a message in the same transaction). Conversation counters move only here, together with
// the row that causes them, so a duplicate delivery never counts twice.
import type { DatabaseSync } from 'node:sqlite'
import { StoreError } from './errors.ts'
import { isForeignKeyViolation } from './database.ts'
import type { Attachment, Direction, Message, MessageKind, NewMessage } from './schemas.ts'
import type { z } from 'zod'

export type ParsedMessage = z.output<typeof NewMessage>

export interface MessageRow {
  mid: string
  conversation_id: string
  direction: Direction
  kind: MessageKind
  text: string | null
  /** TEXT in SQLite, JSONB (already parsed) in PostgreSQL. */
  attachments: string | Attachment[] | null
  reply_to_mid: string | null
  story_id: string | null
  reaction: string | null
  reaction_emoji: string | null
  reacted_at: number | null
  seen_at: number | null
  created_at: number
  received_at: number
  withdrawn_at: number | null
}

export const MESSAGE_COLUMNS =
  'mid, conversation_id, direction, kind, text, attachments, reply_to_mid, story_id, reaction, reaction_emoji, reacted_at, seen_at, created_at, received_at, withdrawn_at'

export function toMessage(row: MessageRow): Message {
  return {
    mid: row.mid,
    conversationId: row.conversation_id,
    direction: row.direction,
    kind: row.kind,
    text: row.text,
    attachments: typeof row.attachments === 'string' ? (JSON.parse(row.attachments) as Attachment[]) : row.attachments,
    replyToMid: row.reply_to_mid,
    storyId: row.story_id,
    reaction: row.reaction === null ? null : { reaction: row.reaction, emoji: row.reaction_emoji, at: row.reacted_at ?? row.created_at },
    seenAt: row.seen_at,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    withdrawnAt: row.withdrawn_at,
  }
}

/** What one batch of new messages does to one conversation. */
interface Activity {
  unread: number
  customerAt: number | null
  activityAt: number
}

export function createMessageWriter(db: DatabaseSync) {
  const insert = db.prepare(`
    INSERT INTO messages (mid, conversation_id, direction, kind, text, attachments, reply_to_mid, story_id, created_at, received_at, withdrawn_at)
    VALUES (:mid, :conversationId, :direction, :kind, :text, :attachments, :replyToMid, :storyId, :createdAt, :receivedAt, :withdrawnAt)
    ON CONFLICT (mid) DO NOTHING`)
  const withdrawnAt = db.prepare('SELECT withdrawn_at FROM withdrawn_mids WHERE mid = ?')
  const bump = db.prepare(`
    UPDATE conversations SET
      unread_count = unread_count + :unread,
      last_customer_message_at = CASE
        WHEN :customerAt IS NULL THEN last_customer_message_at
        WHEN last_customer_message_at IS NULL OR last_customer_message_at < :customerAt THEN :customerAt
        ELSE last_customer_message_at END,
      last_activity_at = CASE WHEN last_activity_at < :activityAt THEN :activityAt ELSE last_activity_at END
    WHERE id = :id`)
  const select = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE mid = ?`)
  const known = db.prepare('SELECT 1 FROM messages WHERE mid = ?')

  /** Inserts one parsed message if its mid is new; records its effect in `activity`. Call inside a transaction. */
  function insertOne(message: ParsedMessage, receivedAt: number, activity: Map<string, Activity>): boolean {
    const unsent = withdrawnAt.get(message.mid) as { withdrawn_at: number } | undefined
    let changes: number | bigint
    try {
      changes = insert.run({
        mid: message.mid,
        conversationId: message.conversationId,
        direction: message.direction,
        kind: message.kind,
        // Unsent before it arrived (A6): keep the placeholder, never the content.
        text: unsent ? null : message.text,
        attachments: unsent || message.attachments === null ? null : JSON.stringify(message.attachments),
        replyToMid: unsent ? null : message.replyToMid,
        storyId: unsent ? null : message.storyId,
        createdAt: message.createdAt,
        receivedAt: message.receivedAt ?? receivedAt,
        withdrawnAt: unsent ? unsent.withdrawn_at : null,
      }).changes
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new StoreError('not_found', `Message ${message.mid} names conversation ${message.conversationId}, which does not exist.`, { cause: error })
      }
      throw error
    }
    if (Number(changes) === 0) return false
    const inbound = message.direction === 'inbound'
    const seen = activity.get(message.conversationId) ?? { unread: 0, customerAt: null, activityAt: 0 }
    activity.set(message.conversationId, {
      unread: seen.unread + (inbound ? 1 : 0),
      customerAt: inbound ? Math.max(seen.customerAt ?? 0, message.createdAt) : seen.customerAt,
      activityAt: Math.max(seen.activityAt, message.createdAt),
    })
    return true
  }

  /** Applies what `insertOne` recorded: one UPDATE per conversation, however many messages. */
  function applyActivity(activity: Map<string, Activity>): void {
    for (const [id, a] of activity) bump.run({ id, unread: a.unread, customerAt: a.customerAt, activityAt: a.activityAt })
  }

  function get(mid: string): Message | null {
    const row = select.get(mid) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  function exists(mid: string): boolean {
    return known.get(mid) !== undefined
  }

  return { insertOne, applyActivity, get, exists }
}
export type MessageWriter = ReturnType<typeof createMessageWriter>
