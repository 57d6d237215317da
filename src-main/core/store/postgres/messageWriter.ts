// Writing messages and their conversations' counters in PostgreSQL, set-based: a batch costs a
// handful of statements however many messages it holds. Shared by the message repository and
// the outbox (a sent reply becomes a message in the same transaction). As in SQLite, counters
// move only with the rows that cause them, so a message stored twice never counts twice — also
// when two nodes store the same webhook at once (INSERT … ON CONFLICT DO NOTHING RETURNING).
import type { z } from 'zod'
import { CONVERSATION_COLUMNS, toConversation, type ConversationRow } from '../conversationRows.ts'
import { StoreError } from '../errors.ts'
import { MESSAGE_COLUMNS, toMessage, type MessageRow, type ParsedMessage } from '../messageRows.ts'
import type { Conversation, InboundConversation, Message } from '../schemas.ts'
import { isForeignKeyViolation, type Sql } from './database.ts'

/** Inserts the messages whose mid is new (a repeat inside the batch too); moves their conversations' counters. Returns the mids inserted. */
export async function insertMessages(sql: Sql, messages: ParsedMessage[], receivedAt: number): Promise<Set<string>> {
  const seen = new Set<string>()
  const batch = messages.filter((m) => !seen.has(m.mid) && seen.add(m.mid))
  if (batch.length === 0) return new Set()
  // Unsent before it arrived (A6): the placeholder is stored, never the content.
  const { rows: unsent } = await sql.query<{ mid: string; withdrawn_at: number }>('SELECT mid, withdrawn_at FROM withdrawn_mids WHERE mid = ANY($1)', [batch.map((m) => m.mid)])
  const withdrawnAt = new Map(unsent.map((r) => [r.mid, r.withdrawn_at]))
  const column = <T>(pick: (m: ParsedMessage, gone: boolean) => T) => batch.map((m) => pick(m, withdrawnAt.has(m.mid)))
  let inserted: { mid: string }[]
  try {
    inserted = (
      await sql.query<{ mid: string }>(
        `INSERT INTO messages (mid, conversation_id, direction, kind, text, attachments, reply_to_mid, story_id, created_at, received_at, withdrawn_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[])
         ON CONFLICT (mid) DO NOTHING RETURNING mid`,
        [
          column((m) => m.mid),
          column((m) => m.conversationId),
          column((m) => m.direction),
          column((m) => m.kind),
          column((m, gone) => (gone ? null : m.text)),
          column((m, gone) => (gone || m.attachments === null ? null : JSON.stringify(m.attachments))),
          column((m, gone) => (gone ? null : m.replyToMid)),
          column((m, gone) => (gone ? null : m.storyId)),
          column((m) => m.createdAt),
          column((m) => m.receivedAt ?? receivedAt),
          column((m) => withdrawnAt.get(m.mid) ?? null),
        ],
      )
    ).rows
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new StoreError('not_found', 'A message names a conversation that does not exist.', { cause: error })
    throw error
  }
  const stored = new Set(inserted.map((r) => r.mid))
  await applyActivity(sql, batch.filter((m) => stored.has(m.mid)))
  return stored
}

/** One UPDATE for every conversation the new messages touch, in id order (nodes lock them alike). */
async function applyActivity(sql: Sql, messages: ParsedMessage[]): Promise<void> {
  const activity = new Map<string, { unread: number; customerAt: number | null; activityAt: number }>()
  for (const m of messages) {
    const inbound = m.direction === 'inbound'
    const seen = activity.get(m.conversationId) ?? { unread: 0, customerAt: null, activityAt: 0 }
    activity.set(m.conversationId, {
      unread: seen.unread + (inbound ? 1 : 0),
      customerAt: inbound ? Math.max(seen.customerAt ?? 0, m.createdAt) : seen.customerAt,
      activityAt: Math.max(seen.activityAt, m.createdAt),
    })
  }
  if (activity.size === 0) return
  const ids = [...activity.keys()].sort()
  await sql.query(
    `UPDATE conversations c SET
       unread_count = c.unread_count + v.unread,
       last_customer_message_at = CASE WHEN v.customer_at IS NULL THEN c.last_customer_message_at ELSE GREATEST(coalesce(c.last_customer_message_at, v.customer_at), v.customer_at) END,
       last_activity_at = GREATEST(c.last_activity_at, v.activity_at)
     FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS v(id, unread, customer_at, activity_at)
     WHERE c.id = v.id`,
    [ids, ids.map((id) => activity.get(id)!.unread), ids.map((id) => activity.get(id)!.customerAt), ids.map((id) => activity.get(id)!.activityAt)],
  )
}

export async function readMessage(sql: Sql, mid: string): Promise<Message | null> {
  const { rows } = await sql.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE mid = $1`, [mid])
  return rows[0] ? toMessage(rows[0]) : null
}

export async function readConversation(sql: Sql, id: string): Promise<Conversation | null> {
  const { rows } = await sql.query<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1`, [id])
  return rows[0] ? toConversation(rows[0]) : null
}

type ParsedInbound = z.output<typeof InboundConversation>
export type InboundUpsert = { conversation: Conversation; created: boolean; reopened: boolean }

/**
 * Finds, creates or reopens the thread of each inbound conversation (one per business account and
 * customer), in three statements however many there are. Two nodes creating the same thread at
 * once: the UNIQUE constraint lets one insert and the other find it. Threads are locked in one
 * order (by account and customer) on every node, so two batches never wait on each other in a
 * circle. A recreated integration (S11) takes its account's threads over.
 */
export async function upsertInbound(sql: Sql, inputs: ParsedInbound[], newId: () => string): Promise<InboundUpsert[]> {
  const pairOf = (input: { igAccountId: string; customerIgsid: string }) => `${input.igAccountId}\u0000${input.customerIgsid}`
  const firsts = new Map<string, ParsedInbound>()
  for (const input of inputs) if (!firsts.has(pairOf(input))) firsts.set(pairOf(input), input)
  const wanted = [...firsts.keys()].sort().map((pair) => firsts.get(pair)!)
  if (wanted.length === 0) return []
  const column = <T>(pick: (input: ParsedInbound) => T) => wanted.map(pick)
  const accounts = column((i) => i.igAccountId)
  const customers = column((i) => i.customerIgsid)

  const created = await sql.query<ConversationRow>(
    // A new thread waits to be routed (R1) unless it is created with its agent.
    `INSERT INTO conversations (id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count,
       last_customer_message_at, last_activity_at, created_at, routed_at, waiting_since)
     SELECT v.id, v.integration_id, v.ig, v.igsid, v.queue_id, v.agent_id, 'open', 0, NULL, v.at, v.at,
       CASE WHEN v.agent_id IS NULL THEN NULL ELSE v.at END, CASE WHEN v.agent_id IS NULL THEN v.at ELSE NULL END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) WITH ORDINALITY AS v(id, integration_id, ig, igsid, queue_id, agent_id, at, n)
     ORDER BY v.n
     ON CONFLICT (ig_account_id, customer_igsid) DO NOTHING RETURNING ${CONVERSATION_COLUMNS}`,
    [column(() => newId()), column((i) => i.integrationId), accounts, customers, column((i) => i.queueId), column((i) => i.assignedAgentId), column((i) => i.at)],
  )
  const outcomes = new Map<string, InboundUpsert>(created.rows.map((row) => [pairOf({ igAccountId: row.ig_account_id, customerIgsid: row.customer_igsid }), { conversation: toConversation(row), created: true, reopened: false }]))
  const existing = wanted.filter((input) => !outcomes.has(pairOf(input)))
  if (existing.length) {
    const { rows } = await sql.query<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations
       WHERE (ig_account_id, customer_igsid) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       ORDER BY ig_account_id, customer_igsid FOR UPDATE`,
      [existing.map((i) => i.igAccountId), existing.map((i) => i.customerIgsid)],
    )
    // A customer writing to an ended thread reopens it (R4): routed again, offered first to its last
    // agent, waiting since this message. A recreated integration takes the thread over.
    const inputOf = (row: ConversationRow) => firsts.get(pairOf({ igAccountId: row.ig_account_id, customerIgsid: row.customer_igsid }))!
    const moving = rows.filter((row) => row.state === 'ended' || row.integration_id !== inputOf(row).integrationId)
    const moved = new Map<string, ConversationRow>()
    if (moving.length) {
      const updated = await sql.query<ConversationRow>(
        `UPDATE conversations c SET state = 'open', integration_id = v.integration_id,
           assigned_agent_id = CASE WHEN c.state = 'ended' THEN NULL ELSE c.assigned_agent_id END,
           preferred_agent_id = CASE WHEN c.state = 'ended' THEN c.assigned_agent_id ELSE c.preferred_agent_id END,
           routed_at = CASE WHEN c.state = 'ended' THEN NULL ELSE c.routed_at END,
           waiting_since = CASE WHEN c.state = 'ended' THEN v.at ELSE c.waiting_since END
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(id, integration_id, at) WHERE c.id = v.id RETURNING ${CONVERSATION_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}`,
        [moving.map((row) => row.id), moving.map((row) => inputOf(row).integrationId), moving.map((row) => inputOf(row).at)],
      )
      for (const row of updated.rows) moved.set(row.id, row)
    }
    for (const row of rows) {
      const now = moved.get(row.id) ?? row
      outcomes.set(pairOf({ igAccountId: row.ig_account_id, customerIgsid: row.customer_igsid }), { conversation: toConversation(now), created: false, reopened: row.state === 'ended' })
    }
  }
  // In input order; a thread named again later in the batch was neither created nor reopened by it.
  const told = new Set<string>()
  return inputs.map((input) => {
    const outcome = outcomes.get(pairOf(input))
    if (!outcome) throw new Error(`the thread of ${input.customerIgsid} was neither created nor found`)
    if (told.has(pairOf(input))) return { conversation: outcome.conversation, created: false, reopened: false }
    told.add(pairOf(input))
    return outcome
  })
}
