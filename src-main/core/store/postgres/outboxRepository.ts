// PostgreSQL: the durable outbox (A9, A10) shared by a team's nodes. Every move is one guarded
// UPDATE, as in SQLite; a claim skips a reply another node is claiming this very moment
// (FOR UPDATE SKIP LOCKED, as graphile-worker claims jobs), so a reply goes out once.
import type pg from 'pg'
import { z } from 'zod'
import { StoreError } from '../errors.ts'
import { canonical, INTERRUPTED, OUTBOX_COLUMNS, toItem, type OutboxRow } from '../outbox.ts'
import type { OutboxRepository } from '../repositories.ts'
import { ids, NewOutboxItem, OUTBOX_STATES, parseInput, SendProblem, SendWindow } from '../schemas.ts'
import { direct, isForeignKeyViolation, query, transaction, type Sql } from './database.ts'
import { insertMessages } from './messageWriter.ts'

export function createPgOutboxRepository({ pool, now }: { pool: pg.Pool; now: () => number }): OutboxRepository {
  const read = async (sql: Sql, id: string) => {
    const { rows } = await sql.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`, [id])
    return rows[0] ? toItem(rows[0]) : null
  }
  const id = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: id`)

  /** Runs a guarded UPDATE; when it changed nothing, says which state the reply was in. */
  const move = (sql: Sql, target: string, what: string, expected: string, text: string, values: unknown[]) =>
    sql.query<OutboxRow>(`${text} RETURNING ${OUTBOX_COLUMNS}`, values).then(async ({ rows }) => {
      if (rows[0]) return toItem(rows[0])
      const current = await read(sql, target)
      if (!current) throw new StoreError('not_found', `${what}: reply ${target} is not in the outbox.`)
      throw new StoreError('outbox_conflict', `${what}: reply ${target} is ${current.state}, not ${expected}.`)
    })
  const moveNow = (target: string, what: string, expected: string, text: string, values: unknown[]) => transaction(pool, (sql) => move(sql, target, what, expected, text, values))

  return {
    async enqueue(input) {
      const item = parseInput(NewOutboxItem, input, 'outbox.enqueue')
      const createdAt = item.createdAt ?? now()
      return transaction(pool, async (sql) => {
        let created: boolean
        try {
          const result = await sql.query(
            `INSERT INTO outbox (id, conversation_id, text, attachment, state, attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, 'waiting', 0, $5, $6) ON CONFLICT (id) DO NOTHING`,
            [item.id, item.conversationId, item.text, item.attachment === null ? null : JSON.stringify(item.attachment), createdAt, now()],
          )
          created = result.rowCount === 1
        } catch (error) {
          if (isForeignKeyViolation(error)) throw new StoreError('not_found', `outbox.enqueue: conversation ${item.conversationId} does not exist.`, { cause: error })
          throw error
        }
        const stored = (await read(sql, item.id))!
        const same = stored.conversationId === item.conversationId && stored.text === item.text && canonical(stored.attachment) === canonical(item.attachment)
        if (!same) throw new StoreError('outbox_conflict', `outbox.enqueue: reply id ${item.id} is already used for a different reply.`)
        return { item: stored, created }
      })
    },

    get: async (value) => read(direct(pool), id(value, 'outbox.get')),

    async claim(value, window, nodeId) {
      const target = id(value, 'outbox.claim')
      const how = parseInput(SendWindow, window, 'outbox.claim')
      const node = nodeId === undefined ? null : parseInput(ids.id, nodeId, 'outbox.claim: nodeId')
      return transaction(pool, async (sql) => {
        const { rows } = await sql.query<OutboxRow>(
          `UPDATE outbox SET state = 'sending', attempts = attempts + 1, messaging_type = $1, tag = $2, claimed_by = $3, updated_at = $4
           WHERE id = (SELECT id FROM outbox WHERE id = $5 AND state = 'waiting' FOR UPDATE SKIP LOCKED)
           RETURNING ${OUTBOX_COLUMNS}`,
          [how.messagingType, how.tag, node, now(), target],
        )
        if (rows[0]) return toItem(rows[0])
        if (!(await read(sql, target))) throw new StoreError('not_found', `outbox.claim: reply ${target} is not in the outbox.`)
        return null
      })
    },

    async markSent(value, sentMidValue, atValue) {
      const target = id(value, 'outbox.markSent')
      const sentMid = parseInput(ids.id, sentMidValue, 'outbox.markSent: sentMid')
      const at = atValue === undefined ? now() : parseInput(ids.epochMs, atValue, 'outbox.markSent: at')
      return transaction(pool, async (sql) => {
        const current = await read(sql, target)
        if (current?.state === 'sent' && current.sentMid === sentMid) return current
        const item = await move(
          sql, target, 'outbox.markSent', 'sending or ambiguous',
          `UPDATE outbox SET state = 'sent', sent_mid = $1, last_error_code = NULL, last_error_message = NULL, updated_at = $2 WHERE id = $3 AND state IN ('sending', 'ambiguous')`,
          [sentMid, at, target],
        )
        const inserted = await insertMessages(sql, [{
          mid: sentMid, conversationId: item.conversationId, direction: 'outbound', kind: item.text === null ? 'attachment' : 'text', text: item.text,
          attachments: item.attachment === null ? null : [{ ...item.attachment }], replyToMid: null, storyId: null, createdAt: at, receivedAt: at,
        }], at)
        // The echo of our own reply may arrive before Meta's answer: it is then ours, not "from elsewhere".
        if (!inserted.has(sentMid)) await sql.query("UPDATE messages SET direction = 'outbound' WHERE mid = $1 AND direction = 'echo'", [sentMid])
        return item
      })
    },

    async markFailed(value, problem) {
      const target = id(value, 'outbox.markFailed')
      const p = parseInput(SendProblem, problem, 'outbox.markFailed')
      return moveNow(target, 'outbox.markFailed', 'sending', `UPDATE outbox SET state = 'failed', last_error_code = $1, last_error_message = $2, updated_at = $3 WHERE id = $4 AND state = 'sending'`, [p.code, p.message, now(), target])
    },

    async markAmbiguous(value, problem) {
      const target = id(value, 'outbox.markAmbiguous')
      const p = parseInput(SendProblem, problem, 'outbox.markAmbiguous')
      return moveNow(target, 'outbox.markAmbiguous', 'sending', `UPDATE outbox SET state = 'ambiguous', last_error_code = $1, last_error_message = $2, updated_at = $3 WHERE id = $4 AND state = 'sending'`, [p.code, p.message, now(), target])
    },

    async retry(value) {
      const target = id(value, 'outbox.retry')
      return moveNow(target, 'outbox.retry', 'failed', `UPDATE outbox SET state = 'waiting', last_error_code = NULL, last_error_message = NULL, updated_at = $1 WHERE id = $2 AND state = 'failed'`, [now(), target])
    },

    async markNotSent(value) {
      const target = id(value, 'outbox.markNotSent')
      return moveNow(target, 'outbox.markNotSent', 'ambiguous', `UPDATE outbox SET state = 'waiting', last_error_code = NULL, last_error_message = NULL, updated_at = $1 WHERE id = $2 AND state = 'ambiguous'`, [now(), target])
    },

    async discard(value) {
      const result = await query(pool, "DELETE FROM outbox WHERE id = $1 AND state IN ('waiting', 'failed')", [id(value, 'outbox.discard')])
      return result.rowCount === 1
    },

    async pending(limit = 100) {
      const n = parseInput(z.number().int().min(1).max(10_000), limit, 'outbox.pending: limit')
      return (await query<OutboxRow>(pool, `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE state = 'waiting' ORDER BY created_at, id LIMIT $1`, [n])).rows.map(toItem)
    },

    async inState(state, limit) {
      const s = parseInput(z.enum(OUTBOX_STATES), state, 'outbox.inState: state')
      const n = parseInput(z.number().int().min(1).max(10_000), limit, 'outbox.inState: limit')
      return (await query<OutboxRow>(pool, `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE state = $1 ORDER BY created_at, id LIMIT $2`, [s, n])).rows.map(toItem)
    },

    async unsent(conversationId) {
      const target = parseInput(ids.id, conversationId, 'outbox.unsent: conversationId')
      return (await query<OutboxRow>(pool, `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE conversation_id = $1 AND state <> 'sent' ORDER BY created_at, id`, [target])).rows.map(toItem)
    },

    async recoverInterrupted(options) {
      const alive = options ? parseInput(z.array(ids.id), options.aliveNodes, 'outbox.recoverInterrupted: aliveNodes') : null
      const result = await query(
        pool,
        `UPDATE outbox SET state = 'ambiguous', last_error_code = $1, last_error_message = $2, updated_at = $3
         WHERE state = 'sending' AND ($4::text[] IS NULL OR claimed_by IS NULL OR NOT (claimed_by = ANY($4::text[])))`,
        [INTERRUPTED.code, INTERRUPTED.message, now(), alive],
      )
      return result.rowCount ?? 0
    },
  }
}


