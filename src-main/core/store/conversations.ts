import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import { z } from 'zod'
import { createConversationWriter, toConversation, type ConversationRow } from './conversationRows.ts'
import { StoreError } from './errors.ts'
import { transaction } from './database.ts'
import type { ConversationRepository } from './repositories.ts'
import {
  Assignment, CONVERSATION_STATES, ConversationListOptions, ids, InboundConversation, parseInput,
  type ConversationCountOptions, type ConversationSummary, type Direction, type MessageKind,
} from './schemas.ts'

export interface ConversationRepositoryDeps {
  db: DatabaseSync
  newId: () => string
}

export interface SummaryRow extends ConversationRow {
  p_fetched_at: number | null
  p_name: string | null
  p_username: string | null
  p_profile_pic_url: string | null
  m_mid: string | null
  m_direction: Direction | null
  m_kind: MessageKind | null
  m_text: string | null
  m_created_at: number | null
  m_withdrawn_at: number | null
}

export const toSummary = (r: SummaryRow): ConversationSummary => ({
  ...toConversation(r),
  customer: r.p_fetched_at === null ? null : { name: r.p_name, username: r.p_username, profilePicUrl: r.p_profile_pic_url },
  lastMessage: r.m_mid === null
    ? null
    : { mid: r.m_mid, direction: r.m_direction!, kind: r.m_kind!, text: r.m_text, createdAt: r.m_created_at!, withdrawn: r.m_withdrawn_at !== null },
})

type ListFilter = z.output<typeof ConversationListOptions>

/**
 * The inbox query (A1), the same SQL for both engines (`placeholder` writes each one's parameter
 * marks). Walks `conversations_by_activity` or `conversations_by_agent_activity` backwards, so its
 * cost follows the page size, not the number of conversations; the customer and the latest message
 * are joined per row by primary key and index. Exported for the test that reads its query plan.
 */
export function inboxQuery(
  filter: Partial<ListFilter> & { limit: number },
  selection: 'rows' | 'count' = 'rows',
  placeholder: (n: number) => string = () => '?',
): { sql: string; params: SQLInputValue[] } {
  const where: string[] = []
  const params: SQLInputValue[] = []
  const param = (value: SQLInputValue) => (params.push(value), placeholder(params.length))
  if (filter.agentId === null) where.push('c.assigned_agent_id IS NULL')
  else if (filter.agentId !== undefined) where.push(`c.assigned_agent_id = ${param(filter.agentId)}`)
  if (filter.state) where.push(`c.state = ${param(filter.state)}`)
  if (filter.ids) where.push(`c.id IN (${filter.ids.map(param).join(', ')})`)
  if (selection === 'count') return { sql: `SELECT count(*) AS n FROM conversations c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params }
  if (filter.after) where.push(`(c.last_activity_at, c.id) < (${param(filter.after.lastActivityAt)}, ${param(filter.after.id)})`)
  const sql = `
    SELECT c.*,
      p.fetched_at AS p_fetched_at, p.name AS p_name, p.username AS p_username, p.profile_pic_url AS p_profile_pic_url,
      m.mid AS m_mid, m.direction AS m_direction, m.kind AS m_kind, m.text AS m_text,
      m.created_at AS m_created_at, m.withdrawn_at AS m_withdrawn_at
    FROM conversations c
    LEFT JOIN participants p ON p.ig_account_id = c.ig_account_id AND p.igsid = c.customer_igsid
    LEFT JOIN messages m ON m.mid = (
      SELECT x.mid FROM messages x WHERE x.conversation_id = c.id ORDER BY x.created_at DESC, x.mid DESC LIMIT 1)
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY c.last_activity_at DESC, c.id DESC
    LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset ?? 0)}`
  return { sql, params }
}

export const InboundConversations = z.array(InboundConversation).max(100_000)
export const CountOptions = ConversationListOptions.pick({ agentId: true, state: true })

export function createConversationRepository({ db, newId }: ConversationRepositoryDeps): ConversationRepository {
  const rows = createConversationWriter(db, newId)
  const clearUnread = db.prepare('UPDATE conversations SET unread_count = 0 WHERE id = ?')
  const setAssignment = db.prepare('UPDATE conversations SET queue_id = ?, assigned_agent_id = ? WHERE id = ?')
  const setStateSql = db.prepare('UPDATE conversations SET state = ? WHERE id = ?')

  // The inbox query has a few shapes (filters, paging); each is prepared once.
  const prepared = new Map<string, StatementSync>()
  const statement = (sql: string) => {
    let found = prepared.get(sql)
    if (!found) prepared.set(sql, (found = db.prepare(sql)))
    return found
  }

  const { read } = rows
  const mustRead = (id: string, what: string) => {
    const found = read(id)
    if (!found) throw new StoreError('not_found', `${what}: conversation ${id} does not exist.`)
    return found
  }

  return {
    async upsertForInbound(input) {
      const parsed = parseInput(InboundConversation, input, 'conversations.upsertForInbound')
      return transaction(db, () => rows.upsertForInbound(parsed))
    },

    async upsertManyForInbound(inputs) {
      const parsed = parseInput(InboundConversations, inputs, 'conversations.upsertManyForInbound')
      return transaction(db, () => parsed.map(rows.upsertForInbound))
    },

    async get(id) {
      return read(parseInput(ids.id, id, 'conversations.get: id'))
    },

    async list(options) {
      const { sql, params } = inboxQuery(parseInput(ConversationListOptions, options, 'conversations.list'))
      return (statement(sql).all(...params) as unknown as SummaryRow[]).map(toSummary)
    },

    async count(options: ConversationCountOptions = {}) {
      const { sql, params } = inboxQuery({ ...parseInput(CountOptions, options, 'conversations.count'), limit: 1 }, 'count')
      return (statement(sql).get(...params) as { n: number }).n
    },

    async markRead(id) {
      return Number(clearUnread.run(parseInput(ids.id, id, 'conversations.markRead: id')).changes) > 0
    },

    async assign(id, assignment) {
      const target = parseInput(ids.id, id, 'conversations.assign: id')
      const { queueId, agentId } = parseInput(Assignment, assignment, 'conversations.assign')
      return transaction(db, () => {
        mustRead(target, 'conversations.assign')
        setAssignment.run(queueId, agentId, target)
        return read(target)!
      })
    },

    async setState(id, state) {
      const target = parseInput(ids.id, id, 'conversations.setState: id')
      const next = parseInput(z.enum(CONVERSATION_STATES), state, 'conversations.setState: state')
      return transaction(db, () => {
        mustRead(target, 'conversations.setState')
        setStateSql.run(next, target)
        return read(target)!
      })
    },
  }
}
