import type { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { transaction } from './database.ts'
import { createConversationWriter } from './conversationRows.ts'
import { createMessageWriter, MESSAGE_COLUMNS, toMessage, type MessageRow } from './messageRows.ts'
import type { InsertOutcome, MessageRepository, WithdrawOutcome } from './repositories.ts'
import { ids, InboundMessage, MessagePageOptions, NewMessage, parseInput, Reaction } from './schemas.ts'

export interface MessageRepositoryDeps {
  db: DatabaseSync
  now: () => number
  /** Ids for the conversations an inbound batch creates. */
  newId: () => string
  /** Called after content was erased, to push it out of the WAL too (see `flushErasedContent`). */
  afterErase: () => void
}

const NewMessages = z.array(NewMessage).max(100_000)
const InboundMessages = z.array(InboundMessage).max(100_000)

export function createMessageRepository({ db, now, newId, afterErase }: MessageRepositoryDeps): MessageRepository {
  const writer = createMessageWriter(db)
  const conversations = createConversationWriter(db, newId)
  const pageFirst = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, mid DESC LIMIT ?`)
  const pageBefore = db.prepare(`
    SELECT ${MESSAGE_COLUMNS} FROM messages
    WHERE conversation_id = ? AND (created_at, mid) < (?, ?)
    ORDER BY created_at DESC, mid DESC LIMIT ?`)
  const rememberWithdrawal = db.prepare('INSERT INTO withdrawn_mids (mid, withdrawn_at) VALUES (?, ?) ON CONFLICT (mid) DO NOTHING')
  const erase = db.prepare(`
    UPDATE messages SET text = NULL, attachments = NULL, reply_to_mid = NULL, story_id = NULL, withdrawn_at = ?
    WHERE mid = ?`)
  const setReaction = db.prepare('UPDATE messages SET reaction = ?, reaction_emoji = ?, reacted_at = ? WHERE mid = ?')
  const seenUpTo = db.prepare(`
    UPDATE messages SET seen_at = ?
    WHERE seen_at IS NULL AND direction IN ('outbound', 'echo')
      AND conversation_id = (SELECT m.conversation_id FROM messages m WHERE m.mid = ?)
      AND created_at <= (SELECT m.created_at FROM messages m WHERE m.mid = ?)`)

  const mid = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: mid`)
  const at = (value: unknown, what: string) => parseInput(ids.epochMs, value, `${what}: time`)

  return {
    async insertIfNew(input) {
      const message = parseInput(NewMessage, input, 'messages.insertIfNew')
      return transaction(db, (): InsertOutcome => {
        const activity = new Map()
        const inserted = writer.insertOne(message, now(), activity)
        writer.applyActivity(activity)
        return { inserted, message: writer.get(message.mid)! }
      })
    },

    async insertMany(inputs) {
      // Parse the whole batch first: one bad message refuses the batch before anything is written.
      const messages = parseInput(NewMessages, inputs, 'messages.insertMany')
      const receivedAt = now()
      return transaction(db, () => {
        const activity = new Map()
        let inserted = 0
        for (const message of messages) if (writer.insertOne(message, receivedAt, activity)) inserted++
        writer.applyActivity(activity)
        return { inserted, duplicates: messages.length - inserted }
      })
    },

    async insertInbound(inputs) {
      const items = parseInput(InboundMessages, inputs, 'messages.insertInbound')
      const receivedAt = now()
      return transaction(db, () => {
        const activity = new Map()
        const threads = new Map<string, string>()
        const stored: { mid: string; conversationId: string }[] = []
        let duplicates = 0
        for (const { conversation, message } of items) {
          if (writer.exists(message.mid)) {
            duplicates++
            continue
          }
          const pair = `${conversation.igAccountId}\u0000${conversation.customerIgsid}`
          let conversationId = threads.get(pair)
          if (conversationId === undefined) threads.set(pair, (conversationId = conversations.upsertForInbound(conversation).conversation.id))
          writer.insertOne({ ...message, conversationId }, receivedAt, activity)
          stored.push({ mid: message.mid, conversationId })
        }
        writer.applyActivity(activity)
        return { stored, duplicates }
      })
    },

    async get(value) {
      return writer.get(mid(value, 'messages.get'))
    },

    async page(conversationId, options) {
      const id = parseInput(ids.id, conversationId, 'messages.page: conversationId')
      const { before, limit } = parseInput(MessagePageOptions, options, 'messages.page')
      const rows = before
        ? pageBefore.all(id, before.createdAt, before.mid, limit)
        : pageFirst.all(id, limit)
      return (rows as unknown as MessageRow[]).map(toMessage)
    },

    async withdraw(value, time) {
      const target = mid(value, 'messages.withdraw')
      const withdrawnAt = at(time, 'messages.withdraw')
      const outcome = transaction(db, (): WithdrawOutcome => {
        rememberWithdrawal.run(target, withdrawnAt)
        const existing = writer.get(target)
        if (!existing) return 'not_yet_received'
        if (existing.withdrawnAt !== null) return 'already_withdrawn'
        erase.run(withdrawnAt, target)
        return 'withdrawn'
      })
      if (outcome === 'withdrawn') afterErase()
      return outcome
    },

    async react(value, reaction, time) {
      const target = mid(value, 'messages.react')
      const reactedAt = at(time, 'messages.react')
      const parsed = reaction === null ? null : parseInput(Reaction, reaction, 'messages.react')
      const changes = setReaction.run(parsed?.reaction ?? null, parsed?.emoji ?? null, parsed ? reactedAt : null, target).changes
      return Number(changes) > 0
    },

    async markSeen(value, time) {
      const target = mid(value, 'messages.markSeen')
      return Number(seenUpTo.run(at(time, 'messages.markSeen'), target, target).changes)
    },
  }
}
