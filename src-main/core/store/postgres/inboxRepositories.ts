// PostgreSQL: conversations, messages, participants and sync cursors — the same contract and the
// same rules as the SQLite files beside `openStore.ts`, written for several nodes at once.
import type pg from 'pg'
import { z } from 'zod'
import { CountOptions, InboundConversations, inboxQuery, toSummary, type SummaryRow } from '../conversations.ts'
import { StoreError } from '../errors.ts'
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from '../messageRows.ts'
import { toParticipant, type ParticipantRow } from '../participants.ts'
import type { ConversationRepository, CursorRepository, MessageRepository, ParticipantRepository, WithdrawOutcome } from '../repositories.ts'
import {
  Assignment, CONVERSATION_STATES, ConversationListOptions, CursorInput, ids, InboundConversation, InboundMessage, MessagePageOptions, NewMessage,
  ParticipantInput, parseInput, Reaction, type ConversationCountOptions, type SyncCursor,
} from '../schemas.ts'
import { direct, query, transaction } from './database.ts'
import { insertMessages, readConversation, readMessage, upsertInbound } from './messageWriter.ts'

const $ = (n: number) => `$${n}`

export function createPgConversationRepository({ pool, newId }: { pool: pg.Pool; newId: () => string }): ConversationRepository {
  const mustExist = async (sql: Parameters<typeof readConversation>[0], id: string, what: string) => {
    const found = await readConversation(sql, id)
    if (!found) throw new StoreError('not_found', `${what}: conversation ${id} does not exist.`)
    return found
  }
  return {
    async upsertForInbound(input) {
      const parsed = parseInput(InboundConversation, input, 'conversations.upsertForInbound')
      return (await transaction(pool, (sql) => upsertInbound(sql, [parsed], newId)))[0]!
    },
    async upsertManyForInbound(inputs) {
      const parsed = parseInput(InboundConversations, inputs, 'conversations.upsertManyForInbound')
      return transaction(pool, (sql) => upsertInbound(sql, parsed, newId))
    },
    get: async (id) => readConversation(direct(pool), parseInput(ids.id, id, 'conversations.get: id')),
    async list(options) {
      const { sql, params } = inboxQuery(parseInput(ConversationListOptions, options, 'conversations.list'), 'rows', $)
      return (await query<SummaryRow>(pool, sql, params)).rows.map(toSummary)
    },
    async count(options: ConversationCountOptions = {}) {
      const { sql, params } = inboxQuery({ ...parseInput(CountOptions, options, 'conversations.count'), limit: 1 }, 'count', $)
      return Number((await query<{ n: number }>(pool, sql, params)).rows[0]!.n)
    },
    async markRead(id) {
      return ((await query(pool, 'UPDATE conversations SET unread_count = 0 WHERE id = $1', [parseInput(ids.id, id, 'conversations.markRead: id')])).rowCount ?? 0) > 0
    },
    async assign(id, assignment) {
      const target = parseInput(ids.id, id, 'conversations.assign: id')
      const { queueId, agentId } = parseInput(Assignment, assignment, 'conversations.assign')
      return transaction(pool, async (sql) => {
        await mustExist(sql, target, 'conversations.assign')
        await sql.query('UPDATE conversations SET queue_id = $1, assigned_agent_id = $2 WHERE id = $3', [queueId, agentId, target])
        return (await readConversation(sql, target))!
      })
    },
    async setState(id, state) {
      const target = parseInput(ids.id, id, 'conversations.setState: id')
      const next = parseInput(z.enum(CONVERSATION_STATES), state, 'conversations.setState: state')
      return transaction(pool, async (sql) => {
        await mustExist(sql, target, 'conversations.setState')
        await sql.query('UPDATE conversations SET state = $1 WHERE id = $2', [next, target])
        return (await readConversation(sql, target))!
      })
    },
  }
}

const NewMessages = z.array(NewMessage).max(100_000)
const InboundMessages = z.array(InboundMessage).max(100_000)

export function createPgMessageRepository({ pool, now, newId }: { pool: pg.Pool; now: () => number; newId: () => string }): MessageRepository {
  const mid = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: mid`)
  const at = (value: unknown, what: string) => parseInput(ids.epochMs, value, `${what}: time`)
  return {
    async insertIfNew(input) {
      const message = parseInput(NewMessage, input, 'messages.insertIfNew')
      return transaction(pool, async (sql) => {
        const inserted = (await insertMessages(sql, [message], now())).has(message.mid)
        return { inserted, message: (await readMessage(sql, message.mid))! }
      })
    },
    async insertMany(inputs) {
      const messages = parseInput(NewMessages, inputs, 'messages.insertMany')
      const inserted = await transaction(pool, (sql) => insertMessages(sql, messages, now()))
      return { inserted: inserted.size, duplicates: messages.length - inserted.size }
    },
    async insertInbound(inputs) {
      const items = parseInput(InboundMessages, inputs, 'messages.insertInbound')
      const receivedAt = now()
      return transaction(pool, async (sql) => {
        // A mid already stored is left alone entirely: a repeat neither reopens nor moves its thread.
        const { rows } = await sql.query<{ mid: string }>('SELECT mid FROM messages WHERE mid = ANY($1)', [items.map((i) => i.message.mid)])
        const known = new Set(rows.map((r) => r.mid))
        const fresh = items.filter((item) => !known.has(item.message.mid) && known.add(item.message.mid))
        const threads = await upsertInbound(sql, fresh.map((item) => item.conversation), newId)
        const messages = fresh.map((item, i) => ({ ...item.message, conversationId: threads[i]!.conversation.id }))
        const inserted = await insertMessages(sql, messages, receivedAt)
        const stored = messages.filter((m) => inserted.has(m.mid)).map((m) => ({ mid: m.mid, conversationId: m.conversationId }))
        return { stored, duplicates: items.length - stored.length }
      })
    },
    get: async (value) => readMessage(direct(pool), mid(value, 'messages.get')),
    async page(conversationId, options) {
      const id = parseInput(ids.id, conversationId, 'messages.page: conversationId')
      const { before, limit } = parseInput(MessagePageOptions, options, 'messages.page')
      const { rows } = before
        ? await query<MessageRow>(pool, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND (created_at, mid) < ($2, $3) ORDER BY created_at DESC, mid DESC LIMIT $4`, [id, before.createdAt, before.mid, limit])
        : await query<MessageRow>(pool, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, mid DESC LIMIT $2`, [id, limit])
      return rows.map(toMessage)
    },
    async withdraw(value, time) {
      const target = mid(value, 'messages.withdraw')
      const withdrawnAt = at(time, 'messages.withdraw')
      return transaction(pool, async (sql): Promise<WithdrawOutcome> => {
        await sql.query('INSERT INTO withdrawn_mids (mid, withdrawn_at) VALUES ($1, $2) ON CONFLICT (mid) DO NOTHING', [target, withdrawnAt])
        const existing = await readMessage(sql, target)
        if (!existing) return 'not_yet_received'
        if (existing.withdrawnAt !== null) return 'already_withdrawn'
        // A6: the content is set to NULL in place. PostgreSQL keeps the old row version until VACUUM
        // reclaims it; autovacuum does so on its own, and no query can read it meanwhile.
        await sql.query('UPDATE messages SET text = NULL, attachments = NULL, reply_to_mid = NULL, story_id = NULL, withdrawn_at = $1 WHERE mid = $2', [withdrawnAt, target])
        return 'withdrawn'
      })
    },
    async react(value, reaction, time) {
      const target = mid(value, 'messages.react')
      const reactedAt = at(time, 'messages.react')
      const parsed = reaction === null ? null : parseInput(Reaction, reaction, 'messages.react')
      const result = await query(pool, 'UPDATE messages SET reaction = $1, reaction_emoji = $2, reacted_at = $3 WHERE mid = $4', [parsed?.reaction ?? null, parsed?.emoji ?? null, parsed ? reactedAt : null, target])
      return (result.rowCount ?? 0) > 0
    },
    async markSeen(value, time) {
      const target = mid(value, 'messages.markSeen')
      const result = await query(
        pool,
        `UPDATE messages SET seen_at = $1
         WHERE seen_at IS NULL AND direction IN ('outbound', 'echo')
           AND conversation_id = (SELECT m.conversation_id FROM messages m WHERE m.mid = $2)
           AND created_at <= (SELECT m.created_at FROM messages m WHERE m.mid = $2)`,
        [at(time, 'messages.markSeen'), target],
      )
      return result.rowCount ?? 0
    },
  }
}

export function createPgParticipantRepository({ pool }: { pool: pg.Pool }): ParticipantRepository {
  const read = async (igAccountId: string, igsid: string) => {
    const { rows } = await query<ParticipantRow>(pool, 'SELECT ig_account_id, igsid, name, username, profile_pic_url, fetched_at FROM participants WHERE ig_account_id = $1 AND igsid = $2', [igAccountId, igsid])
    return rows[0] ? toParticipant(rows[0]) : null
  }
  return {
    async upsert(input) {
      const p = parseInput(ParticipantInput, input, 'participants.upsert')
      // An older answer arriving late does not replace a newer one.
      await query(
        pool,
        `INSERT INTO participants (ig_account_id, igsid, name, username, profile_pic_url, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (ig_account_id, igsid) DO UPDATE SET name = excluded.name, username = excluded.username, profile_pic_url = excluded.profile_pic_url, fetched_at = excluded.fetched_at
         WHERE excluded.fetched_at >= participants.fetched_at`,
        [p.igAccountId, p.igsid, p.name, p.username, p.profilePicUrl, p.fetchedAt],
      )
      return (await read(p.igAccountId, p.igsid))!
    },
    get: (igAccountId, igsid) => read(parseInput(ids.id, igAccountId, 'participants.get: igAccountId'), parseInput(ids.id, igsid, 'participants.get: igsid')),
  }
}

const toCursor = (r: { integration_id: string; scope: string; cursor: string | null; synced_at: number }): SyncCursor => ({ integrationId: r.integration_id, scope: r.scope, cursor: r.cursor, syncedAt: r.synced_at })

export function createPgCursorRepository({ pool }: { pool: pg.Pool }): CursorRepository {
  const key = (integrationId: unknown, scope: unknown, what: string) =>
    [parseInput(ids.id, integrationId, `${what}: integrationId`), parseInput(ids.id, scope, `${what}: scope`)] as const
  return {
    async get(integrationId, scope) {
      const { rows } = await query<Parameters<typeof toCursor>[0]>(pool, 'SELECT integration_id, scope, cursor, synced_at FROM sync_cursors WHERE integration_id = $1 AND scope = $2', [...key(integrationId, scope, 'cursors.get')])
      return rows[0] ? toCursor(rows[0]) : null
    },
    async set(integrationId, scope, value) {
      const [i, s] = key(integrationId, scope, 'cursors.set')
      const { cursor, syncedAt } = parseInput(CursorInput, value, 'cursors.set')
      const { rows } = await query<Parameters<typeof toCursor>[0]>(
        pool,
        `INSERT INTO sync_cursors (integration_id, scope, cursor, synced_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (integration_id, scope) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at
         RETURNING integration_id, scope, cursor, synced_at`,
        [i, s, cursor, syncedAt],
      )
      return toCursor(rows[0]!)
    },
    async forIntegration(integrationId) {
      const { rows } = await query<Parameters<typeof toCursor>[0]>(pool, 'SELECT integration_id, scope, cursor, synced_at FROM sync_cursors WHERE integration_id = $1 ORDER BY scope', [parseInput(ids.id, integrationId, 'cursors.forIntegration: integrationId')])
      return rows.map(toCursor)
    },
  }
}
