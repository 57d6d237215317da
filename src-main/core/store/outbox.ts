import type { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { StoreError } from './errors.ts'
import { isForeignKeyViolation, transaction } from './database.ts'
import { createMessageWriter } from './messageRows.ts'
import type { OutboxRepository } from './repositories.ts'
import { ids, NewOutboxItem, OUTBOX_STATES, parseInput, SendProblem, SendWindow, type OutboxItem, type OutboxState } from './schemas.ts'

export interface OutboxRow {
  id: string
  conversation_id: string
  text: string | null
  /** TEXT in SQLite, JSONB (already parsed) in PostgreSQL. */
  attachment: string | OutboxItem['attachment']
  state: OutboxState
  messaging_type: OutboxItem['messagingType']
  tag: OutboxItem['tag']
  attempts: number
  last_error_code: string | null
  last_error_message: string | null
  sent_mid: string | null
  created_at: number
  updated_at: number
}

export const OUTBOX_COLUMNS = 'id, conversation_id, text, attachment, state, messaging_type, tag, attempts, last_error_code, last_error_message, sent_mid, created_at, updated_at'

export const toItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  conversationId: r.conversation_id,
  text: r.text,
  attachment: typeof r.attachment === 'string' ? JSON.parse(r.attachment) : r.attachment,
  state: r.state,
  messagingType: r.messaging_type,
  tag: r.tag,
  attempts: r.attempts,
  lastError: r.last_error_code === null ? null : { code: r.last_error_code, message: r.last_error_message ?? '' },
  sentMid: r.sent_mid,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Key order does not make two attachments different. */
export const canonical = (value: object | null) => (value === null ? null : JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))))

export const INTERRUPTED: SendProblem = {
  code: 'interrupted',
  message: 'Parley stopped while this reply was being sent. It is checked against the conversation before it is sent again.',
}

/**
 * The durable outbox (A9, A10). Every state change is a single UPDATE guarded by the state it
 * leaves, so it happens once however many callers race for it; the rows survive a crash because
 * each change is committed with synchronous=FULL before the caller goes on.
 */
export function createOutboxRepository({ db, now }: { db: DatabaseSync; now: () => number }): OutboxRepository {
  const messages = createMessageWriter(db)
  const select = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = ?`)
  const insert = db.prepare(`
    INSERT INTO outbox (id, conversation_id, text, attachment, state, attempts, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'waiting', 0, ?, ?) ON CONFLICT (id) DO NOTHING`)
  const claimSql = db.prepare(`
    UPDATE outbox SET state = 'sending', attempts = attempts + 1, messaging_type = ?, tag = ?, claimed_by = ?, updated_at = ?
    WHERE id = ? AND state = 'waiting'`)
  const sentSql = db.prepare(`
    UPDATE outbox SET state = 'sent', sent_mid = ?, last_error_code = NULL, last_error_message = NULL, updated_at = ?
    WHERE id = ? AND state IN ('sending', 'ambiguous')`)
  const problemSql = db.prepare(`
    UPDATE outbox SET state = ?, last_error_code = ?, last_error_message = ?, updated_at = ?
    WHERE id = ? AND state = 'sending'`)
  const requeueSql = db.prepare(`
    UPDATE outbox SET state = 'waiting', last_error_code = NULL, last_error_message = NULL, updated_at = ?
    WHERE id = ? AND state = ?`)
  const discardSql = db.prepare("DELETE FROM outbox WHERE id = ? AND state IN ('waiting', 'failed')")
  const inStateSql = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE state = ? ORDER BY created_at, id LIMIT ?`)
  const unsentSql = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE conversation_id = ? AND state <> 'sent' ORDER BY created_at, id`)
  const interruptedSql = db.prepare(`
    UPDATE outbox SET state = 'ambiguous', last_error_code = ?, last_error_message = ?, updated_at = ?
    WHERE state = 'sending'`)
  // A team node: only what nodes no longer alive left mid-send (the list is JSON: one statement whatever its length).
  const deadNodesSql = db.prepare(`
    UPDATE outbox SET state = 'ambiguous', last_error_code = ?, last_error_message = ?, updated_at = ?
    WHERE state = 'sending' AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT value FROM json_each(?)))`)
  // The echo of our own reply may arrive before Meta's answer: it is then ours, not "from elsewhere".
  const adoptEcho = db.prepare("UPDATE messages SET direction = 'outbound' WHERE mid = ? AND direction = 'echo'")

  const read = (id: string) => {
    const row = select.get(id) as OutboxRow | undefined
    return row ? toItem(row) : null
  }
  const id = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: id`)

  /** Runs a guarded UPDATE; when it changed nothing, says which state the reply was in. */
  function move(target: string, what: string, expected: string, run: () => number | bigint): OutboxItem {
    return transaction(db, () => {
      if (Number(run()) === 0) {
        const current = read(target)
        if (!current) throw new StoreError('not_found', `${what}: reply ${target} is not in the outbox.`)
        throw new StoreError('outbox_conflict', `${what}: reply ${target} is ${current.state}, not ${expected}.`)
      }
      return read(target)!
    })
  }

  return {
    async enqueue(input) {
      const item = parseInput(NewOutboxItem, input, 'outbox.enqueue')
      const createdAt = item.createdAt ?? now()
      const attachment = item.attachment === null ? null : JSON.stringify(item.attachment)
      return transaction(db, () => {
        let changes: number | bigint
        try {
          changes = insert.run(item.id, item.conversationId, item.text, attachment, createdAt, now()).changes
        } catch (error) {
          if (isForeignKeyViolation(error)) throw new StoreError('not_found', `outbox.enqueue: conversation ${item.conversationId} does not exist.`, { cause: error })
          throw error
        }
        const stored = read(item.id)!
        const same = stored.conversationId === item.conversationId && stored.text === item.text
          && canonical(stored.attachment) === canonical(item.attachment)
        if (!same) throw new StoreError('outbox_conflict', `outbox.enqueue: reply id ${item.id} is already used for a different reply.`)
        return { item: stored, created: Number(changes) === 1 }
      })
    },

    async get(value) {
      return read(id(value, 'outbox.get'))
    },

    async claim(value, window, nodeId) {
      const target = id(value, 'outbox.claim')
      const how = parseInput(SendWindow, window, 'outbox.claim')
      const node = nodeId === undefined ? null : parseInput(ids.id, nodeId, 'outbox.claim: nodeId')
      return transaction(db, () => {
        if (Number(claimSql.run(how.messagingType, how.tag, node, now(), target).changes) === 1) return read(target)!
        if (!read(target)) throw new StoreError('not_found', `outbox.claim: reply ${target} is not in the outbox.`)
        return null
      })
    },

    async markSent(value, sentMidValue, atValue) {
      const target = id(value, 'outbox.markSent')
      const sentMid = parseInput(ids.id, sentMidValue, 'outbox.markSent: sentMid')
      const at = atValue === undefined ? now() : parseInput(ids.epochMs, atValue, 'outbox.markSent: at')
      return transaction(db, () => {
        const current = read(target)
        if (current?.state === 'sent' && current.sentMid === sentMid) return current
        const item = move(target, 'outbox.markSent', 'sending or ambiguous', () => sentSql.run(sentMid, at, target).changes)
        const activity = new Map()
        const inserted = messages.insertOne({
          mid: sentMid, conversationId: item.conversationId, direction: 'outbound',
          kind: item.text === null ? 'attachment' : 'text', text: item.text,
          attachments: item.attachment === null ? null : [{ ...item.attachment }],
          replyToMid: null, storyId: null, createdAt: at, receivedAt: at,
        }, at, activity)
        if (inserted) messages.applyActivity(activity)
        else adoptEcho.run(sentMid)
        return item
      })
    },

    async markFailed(value, problem) {
      const target = id(value, 'outbox.markFailed')
      const p = parseInput(SendProblem, problem, 'outbox.markFailed')
      return move(target, 'outbox.markFailed', 'sending', () => problemSql.run('failed', p.code, p.message, now(), target).changes)
    },

    async markAmbiguous(value, problem) {
      const target = id(value, 'outbox.markAmbiguous')
      const p = parseInput(SendProblem, problem, 'outbox.markAmbiguous')
      return move(target, 'outbox.markAmbiguous', 'sending', () => problemSql.run('ambiguous', p.code, p.message, now(), target).changes)
    },

    async retry(value) {
      const target = id(value, 'outbox.retry')
      return move(target, 'outbox.retry', 'failed', () => requeueSql.run(now(), target, 'failed').changes)
    },

    async markNotSent(value) {
      const target = id(value, 'outbox.markNotSent')
      return move(target, 'outbox.markNotSent', 'ambiguous', () => requeueSql.run(now(), target, 'ambiguous').changes)
    },

    async discard(value) {
      return Number(discardSql.run(id(value, 'outbox.discard')).changes) === 1
    },

    async pending(limit = 100) {
      const n = parseInput(z.number().int().min(1).max(10_000), limit, 'outbox.pending: limit')
      return (inStateSql.all('waiting', n) as unknown as OutboxRow[]).map(toItem)
    },

    async inState(state, limit) {
      const s = parseInput(z.enum(OUTBOX_STATES), state, 'outbox.inState: state')
      const n = parseInput(z.number().int().min(1).max(10_000), limit, 'outbox.inState: limit')
      return (inStateSql.all(s, n) as unknown as OutboxRow[]).map(toItem)
    },

    async unsent(conversationId) {
      const rows = unsentSql.all(parseInput(ids.id, conversationId, 'outbox.unsent: conversationId')) as unknown as OutboxRow[]
      return rows.map(toItem)
    },

    async recoverInterrupted(options) {
      if (!options) return Number(interruptedSql.run(INTERRUPTED.code, INTERRUPTED.message, now()).changes)
      const alive = parseInput(z.array(ids.id), options.aliveNodes, 'outbox.recoverInterrupted: aliveNodes')
      return Number(deadNodesSql.run(INTERRUPTED.code, INTERRUPTED.message, now(), JSON.stringify(alive)).changes)
    },
  }
}
