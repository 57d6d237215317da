import type { Actor, CallContext } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import type { ConversationView, InboxPage, InboxScope, ReplyWindowView, ThreadView } from '../contract/inbox.ts'
import type { Problem } from '../contract/integrations.ts'
import type { ThreadRoutingView } from '../contract/routing.ts'
import { routingEventView } from '../routing/routingViews.ts'
import type { Conversation, ConversationSummary, Store } from '../store/index.ts'
import { conversationView, messageView, preview, type IntegrationInfo, type MediaAddresser } from './inboxViews.ts'
import { outboxView } from './outboxView.ts'

export interface InboxServiceDeps {
  store: Store
  integration: (integrationId: string) => IntegrationInfo
  /** Team server: the name of the person a conversation is assigned to. None on a workstation (one person). */
  personName?: (personId: string) => Promise<string | null>
  /** A3: the reply window at `now` for a customer whose last message was at that time. */
  replyWindow: (lastCustomerMessageAt: number | null, now: number) => { view: ReplyWindowView; problem: Problem | null; messagingType: 'RESPONSE' | 'MESSAGE_TAG' | null }
  now?: () => number
  /** Where this kind of window loads avatars and attachments from (the media route); none by default. */
  mediaAddress?: (client: CallContext['client']) => MediaAddresser
}

/** Which conversations a scope lists for this person (P5; the handlers check who may ask for which). */
function agentFilter(scope: InboxScope, actor: Actor): { agentId?: string | null } {
  if (scope === 'mine') return { agentId: actor.personId }
  return scope === 'unassigned' ? { agentId: null } : {}
}

// Paging cursors are opaque to the window: the keys of the last row, base64url JSON.
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
function decode<T>(cursor: string | undefined): T | undefined {
  if (cursor === undefined) return undefined
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T
  } catch {
    throw new ParleyError('invalid_cursor', 'That list position is no longer valid; start from the top.')
  }
}

/** A1, A3: the agent's conversations and threads, read from the local store (readable offline, A10). */
export function createInboxService(deps: InboxServiceDeps) {
  const now = deps.now ?? Date.now
  const { store } = deps

  const conversation = async (id: string) => {
    const found = await store.conversations.get(id)
    if (!found) throw new ParleyError('not_found', 'That conversation does not exist.')
    return found
  }

  /** Assignees' names, asked once per list rather than once per row. */
  async function assignees(rows: { assignedAgentId: string | null }[]): Promise<Map<string, string>> {
    const names = new Map<string, string>()
    if (!deps.personName) return names
    for (const id of new Set(rows.flatMap((row) => (row.assignedAgentId ? [row.assignedAgentId] : [])))) {
      const name = await deps.personName(id)
      if (name !== null) names.set(id, name)
    }
    return names
  }

  async function threadRouting(row: Conversation): Promise<ThreadRoutingView> {
    const [queue, alert, history] = await Promise.all([store.queues.get(row.queueId), store.routing.alert(row.id), store.routing.history(row.id)])
    const state: ThreadRoutingView['state'] =
      row.state === 'ended' ? 'ended' : row.assignedAgentId ? 'interacting' : alert ? 'alerting' : row.routedAt === null ? 'unrouted' : 'waiting'
    return {
      state,
      queue: queue ? { id: queue.id, name: queue.name, afterWork: queue.afterWork, wrapUpCodes: queue.wrapUpCodes } : null,
      alert: alert ? { personId: alert.personId, personName: (await deps.personName?.(alert.personId)) ?? '', expiresAt: new Date(alert.expiresAt).toISOString() } : null,
      wrapUpCode: row.wrapUpCode,
      history: history.map(routingEventView),
    }
  }

  async function views(rows: ConversationSummary[], client: CallContext['client']): Promise<ConversationView[]> {
    const at = now()
    const names = await assignees(rows)
    const media = deps.mediaAddress?.(client)
    return rows.map((row) => {
      const assignee = row.assignedAgentId ? names.get(row.assignedAgentId) : undefined
      const view = conversationView(row, deps.integration(row.integrationId), deps.replyWindow(row.lastCustomerMessageAt, at).view, media)
      return { ...view, assignedTo: assignee === undefined ? null : { id: row.assignedAgentId!, name: assignee } }
    })
  }

  return {
    async list(input: { after?: string; limit: number }, scope: InboxScope, { actor, client }: CallContext): Promise<InboxPage> {
      const after = decode<{ lastActivityAt: number; id: string }>(input.after)
      const filter = agentFilter(scope, actor)
      const rows = await store.conversations.list({ ...filter, limit: input.limit, ...(after ? { after } : {}) })
      const last = rows.at(-1)
      return {
        items: await views(rows, client),
        nextCursor: rows.length === input.limit && last ? encode({ lastActivityAt: last.lastActivityAt, id: last.id }) : null,
        total: await store.conversations.count(filter),
      }
    },

    /** The rows in this scope among these conversations (those that changed), newest activity first, and the new total. */
    async conversations(ids: string[], scope: InboxScope, { actor, client }: CallContext): Promise<{ items: ConversationView[]; total: number }> {
      const unique = [...new Set(ids)]
      const filter = agentFilter(scope, actor)
      const rows = await store.conversations.list({ ...filter, ids: unique, limit: unique.length })
      return { items: await views(rows, client), total: await store.conversations.count(filter) }
    },

    /** One conversation's row, whoever holds it (after a supervisor assigned it). */
    async row(id: string, client: CallContext['client']): Promise<ConversationView> {
      const [row] = await store.conversations.list({ ids: [id], limit: 1 })
      if (!row) throw new ParleyError('not_found', 'That conversation does not exist.')
      const [view] = await views([row], client)
      return view!
    },

    async thread(input: { conversationId: string; before?: string; limit: number }, client: CallContext['client']): Promise<ThreadView> {
      const row = await conversation(input.conversationId)
      const participant = await store.participants.get(row.igAccountId, row.customerIgsid)
      const info = deps.integration(row.integrationId)
      const before = decode<{ createdAt: number; mid: string }>(input.before)
      const messages = await store.messages.page(row.id, { limit: input.limit, ...(before ? { before } : {}) })
      const quotes = new Map<string, string | null>()
      for (const m of messages) {
        if (m.replyToMid && !quotes.has(m.replyToMid)) quotes.set(m.replyToMid, (await store.messages.get(m.replyToMid))?.text ?? null)
      }
      const window = deps.replyWindow(row.lastCustomerMessageAt, now())
      const closedByDeletion: Problem | null = info.deleted
        ? { code: 'integration_deleted', message: 'This conversation belongs to a deleted integration: it can be read but not answered.', remedy: null }
        : null
      const last = messages.at(-1)
      const newest = before ? null : messages[0]
      const summary = {
        ...row,
        customer: participant ? { name: participant.name, username: participant.username, profilePicUrl: participant.profilePicUrl } : null,
        lastMessage: newest
          ? { mid: newest.mid, direction: newest.direction, kind: newest.kind, text: newest.text, createdAt: newest.createdAt, withdrawn: newest.withdrawnAt !== null }
          : null,
      }
      const media = deps.mediaAddress?.(client)
      const [view] = await views([summary], client)
      return {
        routing: await threadRouting(row),
        conversation: view!,
        messages: messages.map((m) => messageView(m, info, (mid) => quotes.get(mid) ?? null, media)),
        nextCursor: messages.length === input.limit && last ? encode({ createdAt: last.createdAt, mid: last.mid }) : null,
        outbox: (await store.outbox.unsent(row.id)).map(outboxView),
        composer: {
          enabled: !closedByDeletion && window.problem === null,
          messagingType: closedByDeletion ? null : window.messagingType,
          problem: closedByDeletion ?? window.problem,
        },
      }
    },

    async markRead(conversationId: string): Promise<void> {
      if (!(await store.conversations.markRead(conversationId))) throw new ParleyError('not_found', 'That conversation does not exist.')
    },

    /** For the Sandbox view: the customers' latest messages Parley holds, to unsend or react to. */
    async recentCustomerMessages(limit = 20) {
      const recent = []
      for (const row of await store.conversations.list({ limit: 10 })) {
        for (const m of await store.messages.page(row.id, { limit: 10 })) {
          if (m.direction === 'inbound' && m.withdrawnAt === null) {
            recent.push({ mid: m.mid, from: row.customerIgsid, to: row.igAccountId, preview: preview(m.text) ?? m.kind, at: new Date(m.createdAt).toISOString() })
          }
        }
      }
      return recent.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit)
    },
  }
}
export type InboxService = ReturnType<typeof createInboxService>
