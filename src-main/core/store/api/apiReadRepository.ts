// I1: what the REST API reads — conversations by state, queue, agent, integration and time, with
// their messages' metadata, and people — cursor-paged, one implementation for both engines.
import { LOCAL_AGENT } from '../../contract/people.ts'
import type { ApiReadRepository, ApiConversationFilter } from '../repositories.ts'
import type { ApiConversationRow, ApiMessageRow, ApiPersonRow } from '../apiSchemas.ts'
import { all, numberOrNull, type SqlValue, type UnitRunner } from '../routing/steps.ts'

/** A conversation's place in routing, as the window shows it (ROUTING_STATES). */
const ROUTING_STATE = `CASE WHEN c.state = 'ended' THEN 'ended' WHEN c.assigned_agent_id IS NOT NULL THEN 'interacting'
  WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.conversation_id = c.id) THEN 'alerting'
  WHEN c.routed_at IS NULL THEN 'unrouted' ELSE 'waiting' END`

const CONVERSATIONS = `SELECT * FROM (
  SELECT c.id, c.integration_id, c.queue_id, q.name AS queue_name, c.assigned_agent_id, ap.name AS agent_name, ${ROUTING_STATE} AS routing_state,
    c.customer_igsid, pt.username AS customer_username, pt.name AS customer_name, c.created_at, c.last_activity_at, c.ended_at, c.wrap_up_code, c.waiting_since
  FROM conversations c
  LEFT JOIN queues q ON q.id = c.queue_id
  LEFT JOIN people ap ON ap.id = c.assigned_agent_id
  LEFT JOIN participants pt ON pt.ig_account_id = c.ig_account_id AND pt.igsid = c.customer_igsid) x`

interface ConversationRow {
  id: string
  integration_id: string
  queue_id: string
  queue_name: string | null
  assigned_agent_id: string | null
  agent_name: string | null
  routing_state: ApiConversationRow['state']
  customer_igsid: string
  customer_username: string | null
  customer_name: string | null
  created_at: number
  last_activity_at: number
  ended_at: number | null
  wrap_up_code: string | null
  waiting_since: number | null
}

const toConversation = (r: ConversationRow): ApiConversationRow => ({
  id: r.id,
  integrationId: r.integration_id,
  queue: { id: r.queue_id, name: r.queue_name ?? r.queue_id },
  agent: r.assigned_agent_id ? { id: r.assigned_agent_id, name: r.agent_name ?? r.assigned_agent_id } : null,
  state: r.routing_state,
  customer: { igsid: r.customer_igsid, username: r.customer_username, name: r.customer_name },
  createdAt: Number(r.created_at),
  lastActivityAt: Number(r.last_activity_at),
  endedAt: numberOrNull(r.ended_at),
  wrapUpCode: r.wrap_up_code,
  waitingSince: numberOrNull(r.waiting_since),
})

interface MessageRow {
  mid: string
  direction: ApiMessageRow['direction']
  kind: string
  text: string | null
  attachments: unknown
  story_id: string | null
  created_at: number
  withdrawn_at: number | null
}

/** Attachments are JSON text on SQLite and JSONB (already parsed) on PostgreSQL. */
function attachmentTypes(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value
  return Array.isArray(list) ? list.map((a) => String((a as { type?: unknown }).type ?? 'file')) : []
}

export function createApiReadRepository(runner: UnitRunner): ApiReadRepository {
  return {
    async conversations(filter: ApiConversationFilter, limit) {
      const where: string[] = []
      const params: SqlValue[] = []
      const add = (clause: string, ...values: SqlValue[]) => (where.push(clause), params.push(...values))
      if (filter.id) add('x.id = ?', filter.id)
      if (filter.state) add('x.routing_state = ?', filter.state)
      if (filter.queueId) add('x.queue_id = ?', filter.queueId)
      if (filter.agentId) add('x.assigned_agent_id = ?', filter.agentId)
      if (filter.integrationId) add('x.integration_id = ?', filter.integrationId)
      if (filter.activeSince !== undefined) add('x.last_activity_at >= ?', filter.activeSince)
      if (filter.activeBefore !== undefined) add('x.last_activity_at < ?', filter.activeBefore)
      if (filter.after) add('(x.last_activity_at < ? OR (x.last_activity_at = ? AND x.id < ?))', filter.after.at, filter.after.at, filter.after.id)
      const sql = `${CONVERSATIONS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY x.last_activity_at DESC, x.id DESC LIMIT ?`
      return runner.run(function* () {
        return (yield* all<ConversationRow>(sql, [...params, limit])).map(toConversation)
      })
    },

    async messages(conversationId, limit, before) {
      const sql = `SELECT mid, direction, kind, text, attachments, story_id, created_at, withdrawn_at FROM messages
        WHERE conversation_id = ? ${before ? 'AND (created_at < ? OR (created_at = ? AND mid < ?))' : ''} ORDER BY created_at DESC, mid DESC LIMIT ?`
      const params: SqlValue[] = before ? [conversationId, before.at, before.at, before.mid, limit] : [conversationId, limit]
      return runner.run(function* () {
        return (yield* all<MessageRow>(sql, params)).map(
          (r): ApiMessageRow => ({
            mid: r.mid,
            direction: r.direction,
            kind: r.kind,
            text: r.withdrawn_at === null ? r.text : null,
            attachmentTypes: attachmentTypes(r.attachments),
            story: r.story_id !== null,
            createdAt: Number(r.created_at),
            withdrawn: r.withdrawn_at !== null,
          }),
        )
      })
    },

    async people(limit, afterId) {
      return runner.run(function* () {
        const rows = yield* all<{ id: string; username: string; name: string; role: ApiPersonRow['role']; message_capacity: number; deactivated_at: number | null }>(
          `SELECT id, username, name, role, message_capacity, deactivated_at FROM people WHERE id <> ? ${afterId ? 'AND id > ?' : ''} ORDER BY id LIMIT ?`,
          afterId ? [LOCAL_AGENT, afterId, limit] : [LOCAL_AGENT, limit],
        )
        return rows.map((r) => ({ id: r.id, username: r.username, name: r.name, role: r.role, messageCapacity: Number(r.message_capacity), active: r.deactivated_at === null }))
      })
    },
  }
}
