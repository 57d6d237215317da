// Reading conversation rows and finding or creating a customer's thread, shared by the conversation
// repository and the message repository's inbound batches (which create their threads in the same
// transaction as their messages).
import type { DatabaseSync } from 'node:sqlite'
import type { z } from 'zod'
import type { Conversation, InboundConversation } from './schemas.ts'

export interface ConversationRow {
  id: string
  integration_id: string
  ig_account_id: string
  customer_igsid: string
  queue_id: string
  assigned_agent_id: string | null
  state: Conversation['state']
  unread_count: number
  last_customer_message_at: number | null
  last_activity_at: number
  created_at: number
  routed_at: number | null
  waiting_since: number | null
  ended_at: number | null
  wrap_up_code: string | null
}

export const CONVERSATION_COLUMNS =
  'id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count, last_customer_message_at, last_activity_at, created_at, routed_at, waiting_since, ended_at, wrap_up_code'

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  integrationId: r.integration_id,
  igAccountId: r.ig_account_id,
  customerIgsid: r.customer_igsid,
  queueId: r.queue_id,
  assignedAgentId: r.assigned_agent_id,
  state: r.state,
  unreadCount: r.unread_count,
  lastCustomerMessageAt: r.last_customer_message_at,
  lastActivityAt: r.last_activity_at,
  createdAt: r.created_at,
  routedAt: r.routed_at,
  waitingSince: r.waiting_since,
  endedAt: r.ended_at,
  wrapUpCode: r.wrap_up_code,
})

/** A new thread waits to be routed (R1) unless it is created with its agent. */
const CREATE_CONVERSATION_SQL = `
  INSERT INTO conversations (id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count,
    last_customer_message_at, last_activity_at, created_at, routed_at, waiting_since)
  SELECT v.id, v.integration_id, v.ig, v.igsid, v.queue_id, v.agent_id, 'open', 0, NULL, v.at, v.at,
    CASE WHEN v.agent_id IS NULL THEN NULL ELSE v.at END, CASE WHEN v.agent_id IS NULL THEN v.at ELSE NULL END
  FROM (SELECT ? AS id, ? AS integration_id, ? AS ig, ? AS igsid, ? AS queue_id, ? AS agent_id, ? AS at) v`

/**
 * A customer writing to an ended thread reopens it (R4): it is routed again, offered first to its
 * last agent (`preferred_agent_id`), waiting since this message. A recreated integration (S11)
 * takes its account's threads over, so the conversation continues instead of starting again.
 * Every right-hand side reads the row as it was.
 */
const REOPEN_CONVERSATION_SQL = `
  UPDATE conversations SET state = 'open', integration_id = ?,
    assigned_agent_id = CASE WHEN state = 'ended' THEN NULL ELSE assigned_agent_id END,
    preferred_agent_id = CASE WHEN state = 'ended' THEN assigned_agent_id ELSE preferred_agent_id END,
    routed_at = CASE WHEN state = 'ended' THEN NULL ELSE routed_at END,
    waiting_since = CASE WHEN state = 'ended' THEN ? ELSE waiting_since END
  WHERE id = ?`

export type InboundUpsert = { conversation: Conversation; created: boolean; reopened: boolean }

export function createConversationWriter(db: DatabaseSync, newId: () => string) {
  const byId = db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ?`)
  const byCustomer = db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE ig_account_id = ? AND customer_igsid = ?`)
  const create = db.prepare(CREATE_CONVERSATION_SQL)
  const refresh = db.prepare(REOPEN_CONVERSATION_SQL)

  function read(id: string): Conversation | null {
    const row = byId.get(id) as ConversationRow | undefined
    return row ? toConversation(row) : null
  }

  /** Finds, creates or reopens the thread of a parsed inbound conversation. Call inside a transaction. */
  function upsertForInbound(input: z.output<typeof InboundConversation>): InboundUpsert {
    const row = byCustomer.get(input.igAccountId, input.customerIgsid) as ConversationRow | undefined
    if (!row) {
      const id = newId()
      create.run(id, input.integrationId, input.igAccountId, input.customerIgsid, input.queueId, input.assignedAgentId, input.at)
      return { conversation: read(id)!, created: true, reopened: false }
    }
    const reopened = row.state === 'ended'
    if (!reopened && row.integration_id === input.integrationId) return { conversation: toConversation(row), created: false, reopened }
    refresh.run(input.integrationId, input.at, row.id)
    return { conversation: read(row.id)!, created: false, reopened }
  }

  return { read, upsertForInbound }
}
export type ConversationWriter = ReturnType<typeof createConversationWriter>
