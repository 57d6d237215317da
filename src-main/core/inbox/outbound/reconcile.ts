// A9: did an ambiguous reply (timeout, dropped connection, crash mid-send) reach the customer?
// Decided from evidence only — the echo ingest already stored, else the conversation's recent
// messages through the Conversations API — so a reply is neither sent twice nor silently dropped.
import type { GraphClient, MessageDetails } from '../../graph/index.ts'
import type { Conversation, Message, OutboxItem, Store } from '../../store/index.ts'

export type ReconcileGraph = Pick<GraphClient, 'conversations' | 'conversationMessages'>

export type ReconcileVerdict =
  /** Found in the thread: it went out, as `mid`. */
  | { verdict: 'sent'; mid: string; at: number; via: 'echo' | 'conversations_api' }
  /** Every business message from the time it could have gone out is visible, and it is not among them. */
  | { verdict: 'not_sent' }
  /** The evidence cannot tell (Meta shows details only for the 20 most recent messages). */
  | { verdict: 'undetermined'; why: string }

export interface ReconcileContext {
  store: Store
  graph: ReconcileGraph
  pageToken: string
  conversation: Conversation
  now: number
  /** How far Meta's clock and Parley's may disagree; widens the time window on both sides. */
  skewMs: number
  /** Parley conversation id → Graph conversation id, so the lookup is paid once per thread. */
  graphConversationIds: Map<string, string>
}

/** Meta shows `from`, text and attachments only for a thread's 20 most recent messages. */
const DETAIL_LIMIT = 20
const MESSAGE_FIELDS = ['id', 'created_time', 'from', 'message', 'attachments']

const normalise = (text: string | null) => (text ?? '').replace(/\r\n?/g, '\n').trim()

/**
 * The reply's time window: it cannot have reached Meta before it was queued, nor after now. Text
 * must match exactly (normalised line ends), an attachment reply matches a business message that
 * carries an attachment and no text. A mid Parley already holds as `outbound` belongs to another
 * reply and is never taken twice, so two identical replies reconcile to two different messages.
 */
export async function findSentReply(item: OutboxItem, context: ReconcileContext): Promise<ReconcileVerdict> {
  const from = item.createdAt - context.skewMs
  const until = context.now + context.skewMs
  const local = await findEcho(item, context.store, from, until)
  if (local) return { verdict: 'sent', mid: local.mid, at: local.createdAt, via: 'echo' }
  return findThroughConversations(item, context, from, until)
}

async function findEcho(item: OutboxItem, store: Store, from: number, until: number): Promise<Message | null> {
  // Ingest stores the business's own echo as `echo` until a reply claims it (markSent turns it into `outbound`).
  const recent = await store.messages.page(item.conversationId, { limit: 100 })
  const matches = recent.filter((m) =>
    m.direction === 'echo' && m.withdrawnAt === null && m.createdAt >= from && m.createdAt <= until && localContentMatches(item, m))
  return matches.sort((a, b) => a.createdAt - b.createdAt)[0] ?? null
}

function localContentMatches(item: OutboxItem, message: Message): boolean {
  if (item.text !== null) return message.text !== null && normalise(message.text) === normalise(item.text)
  return normalise(message.text) === '' && (message.attachments ?? []).some((a) => a.type === item.attachment?.type)
}

async function findThroughConversations(item: OutboxItem, context: ReconcileContext, from: number, until: number): Promise<ReconcileVerdict> {
  const { graph, pageToken, conversation, store } = context
  let threadId = context.graphConversationIds.get(conversation.id)
  if (threadId === undefined) {
    // `me` with a page token is the Page, as `/{page-id}/conversations`.
    const threads = await graph.conversations('me', pageToken, { userId: conversation.customerIgsid, limit: 1 })
    threadId = threads.items[0]?.id
    // No thread at Meta means nothing of the business's reached this customer.
    if (threadId === undefined) return { verdict: 'not_sent' }
    context.graphConversationIds.set(conversation.id, threadId)
  }
  const page = await graph.conversationMessages(threadId, pageToken, { limit: DETAIL_LIMIT + 5, fields: MESSAGE_FIELDS })

  const inWindow = page.items.filter((m) => {
    const at = timeOf(m)
    return at === null || (at >= from && at <= until)
  })
  const candidates = inWindow
    .filter((m) => m.from !== null && m.from.id !== conversation.customerIgsid && remoteContentMatches(item, m))
    .sort((a, b) => (timeOf(a) ?? 0) - (timeOf(b) ?? 0))
  for (const candidate of candidates) {
    const known = await store.messages.get(candidate.id)
    if (known?.direction === 'outbound') continue // another reply of Parley's already owns it
    return { verdict: 'sent', mid: candidate.id, at: timeOf(candidate) ?? context.now, via: 'conversations_api' }
  }

  // Not found. That is proof only if every message of the window was readable in detail.
  if (inWindow.some((m) => m.from === null)) {
    return { verdict: 'undetermined', why: 'Messages from that time are too far back in the conversation for Instagram to show their content.' }
  }
  const oldest = page.items.at(-1)
  const oldestAt = oldest ? timeOf(oldest) : null
  if (page.nextCursor !== null && (oldestAt === null || oldestAt >= from)) {
    return { verdict: 'undetermined', why: 'The conversation has more messages from that time than Instagram shows in detail.' }
  }
  return { verdict: 'not_sent' }
}

function remoteContentMatches(item: OutboxItem, message: MessageDetails): boolean {
  if (item.text !== null) return message.text !== null && normalise(message.text) === normalise(item.text)
  return normalise(message.text) === '' && message.attachments.length > 0
}

function timeOf(message: MessageDetails): number | null {
  if (message.createdTime === null) return null
  const at = Date.parse(message.createdTime)
  return Number.isNaN(at) ? null : at
}
