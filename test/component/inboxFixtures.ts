import type { ConversationView, MessageView, OutboxView, SandboxPanelState, ThreadView } from '../../src-main/core/contract/index.ts'
import type { Script } from './scriptedParley.ts'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString()
export const inPast = (ms: number) => new Date(Date.now() - ms).toISOString()

/** Conversation number n: the larger n, the older its last activity. */
export function conversation(n: number, overrides: Partial<ConversationView> = {}): ConversationView {
  const at = inPast((n + 1) * MINUTE)
  return {
    id: `c-${n}`,
    integrationId: 'int-1',
    integrationName: 'Coffee DMs',
    integrationDeleted: false,
    assignedTo: null,
    customer: { igsid: `ig-${n}`, name: `Customer ${n}`, username: `customer${n}`, avatarUrl: null },
    lastMessage: { direction: 'inbound', kind: 'text', preview: `Hello from ${n}`, withdrawn: false, at },
    unreadCount: 0,
    lastActivityAt: at,
    window: { kind: 'standard', endsAt: inFuture(5 * HOUR), nearDeadline: false },
    routing: 'interacting',
    ...overrides,
  }
}

/** `inbox.list` over `total` conversations, paged by offset cursors as main pages by its own. */
export function pagedInbox(total: number, make: (n: number) => ConversationView = (n) => conversation(n)): Script['inbox.list'] {
  return ({ after, limit }) => {
    const start = after ? Number(after) : 0
    const end = Math.min(total, start + limit)
    const items: ConversationView[] = []
    for (let n = start; n < end; n++) items.push(make(n))
    return { items, nextCursor: end < total ? String(end) : null, total }
  }
}

export function inboxOf(items: ConversationView[]): Script['inbox.list'] {
  return () => ({ items, nextCursor: null, total: items.length })
}

/** `inbox.conversations` over whatever the list holds when it is asked. */
export function conversationsOf(items: () => ConversationView[]): Script['inbox.conversations'] {
  return ({ ids }) => ({ items: items().filter((c) => ids.includes(c.id)), total: items().length })
}

let mid = 0
export function message(overrides: Partial<MessageView> = {}): MessageView {
  mid++
  return {
    mid: `m-${mid}`,
    direction: 'inbound',
    kind: 'text',
    text: `Message ${mid}`,
    attachments: [],
    replyTo: null,
    story: null,
    reaction: null,
    seen: false,
    withdrawn: false,
    createdAt: inPast((1000 - mid) * MINUTE),
    ...overrides,
  }
}

/** A thread as main sends it: `messages` given oldest first here, sent newest first like main. */
export function thread(overrides: Partial<Omit<ThreadView, 'messages'>> & { messages?: MessageView[] } = {}): ThreadView {
  const { messages = [], ...rest } = overrides
  return {
    conversation: conversation(1),
    nextCursor: null,
    outbox: [],
    composer: { enabled: true, messagingType: 'RESPONSE', problem: null },
    routing: threadRouting(),
    ...rest,
    messages: [...messages].reverse(),
  }
}

/** A thread's routing: held in the Support queue, routed and accepted, unless told otherwise. */
export function threadRouting(overrides: Partial<ThreadView['routing']> = {}): ThreadView['routing'] {
  return {
    state: 'interacting',
    queue: { id: 'q-support', name: 'Support', afterWork: 'optional', wrapUpCodes: ['Resolved', 'Spam'] },
    alert: null,
    wrapUpCode: null,
    history: [
      { id: '1', at: inPast(10 * MINUTE), kind: 'routed', queueName: 'Support', personName: null, byName: null, wrapUpCode: null, automatic: false },
      { id: '2', at: inPast(9 * MINUTE), kind: 'accepted', queueName: null, personName: 'Local user', byName: null, wrapUpCode: null, automatic: true },
    ],
    ...overrides,
  }
}

export function outboxItem(overrides: Partial<OutboxView> = {}): OutboxView {
  return { id: 'out-1', conversationId: 'c-1', state: 'waiting', text: 'On its way', problem: null, createdAt: inPast(MINUTE), ...overrides }
}

export const windowError = {
  code: 'outside_window.expired',
  message: 'Instagram refused the reply because the conversation is outside the allowed reply window.',
  remedy: "Instagram allows replies only within 7 days of the customer's last message.",
}

export const DONE = { ok: true as const }

/** The scripted inbox of one open conversation c-1 (plus c-0 and c-2 in the list). */
export function threadScript(view: ThreadView, more: Script = {}): Script {
  return {
    'inbox.list': inboxOf([conversation(0), view.conversation, conversation(2)]),
    'inbox.conversations': conversationsOf(() => [conversation(0), view.conversation, conversation(2)]),
    'inbox.thread': () => view,
    'inbox.markRead': () => DONE,
    ...more,
  }
}

export function sandboxState(overrides: Partial<SandboxPanelState> = {}): SandboxPanelState {
  return {
    now: '2026-11-24T10:00:00.000Z',
    accounts: [
      { id: 'ig-biz-1', username: 'nordlicht.kaffee', pageName: 'Nordlicht Kaffeerösterei' },
      { id: 'ig-biz-2', username: 'hafenblick', pageName: 'Hafenblick Hotel' },
    ],
    customers: [
      { id: 'cust-1', name: 'Lena Vogel', username: 'lena.vogel', private: false },
      { id: 'cust-2', name: 'Jonas Private', username: 'jonas.p', private: true },
    ],
    recentCustomerMessages: [
      { mid: 'rm-2', from: 'cust-1', to: 'ig-biz-1', preview: 'Do you ship to Austria?', at: '2026-11-24T09:55:00.000Z' },
      { mid: 'rm-1', from: 'cust-2', to: 'ig-biz-1', preview: 'Hi!', at: '2026-11-24T09:00:00.000Z' },
    ],
    ...overrides,
  }
}
