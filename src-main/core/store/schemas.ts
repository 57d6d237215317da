// What crosses into the store: every input is parsed here first, so a bad value is refused with
// a clear error before any SQL runs. Times are epoch milliseconds, as Meta sends them.
import { z } from 'zod'
import { StoreError } from './errors.ts'

const id = z.string().trim().min(1).max(512)
const epochMs = z.number().int().nonnegative().max(8.64e15)

export const DIRECTIONS = ['inbound', 'outbound', 'echo'] as const
/** `echo`: sent by the business from elsewhere (the Instagram app); `outbound`: sent by Parley. */
export type Direction = (typeof DIRECTIONS)[number]

export const MESSAGE_KINDS = ['text', 'attachment', 'story_mention', 'story_reply', 'share', 'postback', 'ephemeral', 'unsupported'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export const CONVERSATION_STATES = ['open', 'ended'] as const
export type ConversationState = (typeof CONVERSATION_STATES)[number]

export const OUTBOX_STATES = ['waiting', 'sending', 'sent', 'failed', 'ambiguous'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/**
 * An attachment as Meta announced it. Never its bytes. A story mention is not an attachment here:
 * its CDN URL must not reach the disk (A5), so the type is refused and the message's kind says it.
 */
export const Attachment = z.strictObject({
  type: z.string().min(1).max(64).refine((t) => t !== 'story_mention', 'story mentions keep no URL: store kind "story_mention" without attachments'),
  url: z.string().max(4096).nullable(),
  mime: z.string().max(255).optional(),
  size: z.number().int().nonnegative().optional(),
  name: z.string().max(1024).optional(),
})
export type Attachment = z.infer<typeof Attachment>

/** A message's own fields, as Meta sent it; which thread it belongs to is added by the caller. */
const MessageFields = z.strictObject({
  mid: id,
  direction: z.enum(DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS),
  text: z.string().max(100_000).nullable().default(null),
  attachments: z.array(Attachment).max(50).nullable().default(null),
  replyToMid: id.nullable().default(null),
  /** The story a story reply answers, by id only: the viewer asks Graph for it when opened. */
  storyId: id.nullable().default(null),
  createdAt: epochMs,
  /** Defaults to the store's clock. */
  receivedAt: epochMs.optional(),
})

/** A story mention's media stays with Meta (A5): it is stored as its kind alone. */
const storyMentionChecked = <T extends z.ZodType<{ kind: MessageKind; text: string | null; attachments: unknown[] | null }>>(schema: T) =>
  schema.refine((m) => m.kind !== 'story_mention' || (m.text === null && m.attachments === null), {
    message: 'a story mention is stored without text or attachments (its media stays with Meta)',
    path: ['kind'],
  })

export const NewMessage = storyMentionChecked(MessageFields.extend({ conversationId: id }))
export type NewMessage = z.input<typeof NewMessage>

export interface Message {
  mid: string
  conversationId: string
  direction: Direction
  kind: MessageKind
  /** Null when the message has none, or once withdrawn. */
  text: string | null
  attachments: Attachment[] | null
  replyToMid: string | null
  storyId: string | null
  /** The customer's reaction to this message (A8), e.g. `love` / ❤️. */
  reaction: { reaction: string; emoji: string | null; at: number } | null
  seenAt: number | null
  createdAt: number
  receivedAt: number
  /** Set when the customer unsent it (A6): the content is gone, the row stays as a placeholder. */
  withdrawnAt: number | null
}

export const MessagePageOptions = z.strictObject({
  /** The last message of the previous page: the next page holds older ones. */
  before: z.strictObject({ createdAt: epochMs, mid: id }).optional(),
  limit: z.number().int().min(1).max(500),
})
export type MessagePageOptions = z.input<typeof MessagePageOptions>

export const Reaction = z.strictObject({ reaction: z.string().min(1).max(64), emoji: z.string().max(64).nullable().default(null) })
export type Reaction = z.input<typeof Reaction>

/** The business account and the customer identify a thread; Instagram keeps one per pair. */
export const InboundConversation = z.strictObject({
  integrationId: id,
  igAccountId: id,
  customerIgsid: id,
  /** Used only when the conversation is created (routing decides later ones). */
  queueId: id,
  assignedAgentId: id.nullable(),
  at: epochMs,
})
export type InboundConversation = z.input<typeof InboundConversation>

/** A message from a customer's thread together with that thread, for `messages.insertInbound`. */
export const InboundMessage = z.strictObject({
  conversation: InboundConversation,
  message: storyMentionChecked(MessageFields),
})
export type InboundMessage = z.input<typeof InboundMessage>

export interface Conversation {
  id: string
  integrationId: string
  igAccountId: string
  customerIgsid: string
  queueId: string
  assignedAgentId: string | null
  state: ConversationState
  unreadCount: number
  /** Drives the 24 h / 7 day reply windows (A3). */
  lastCustomerMessageAt: number | null
  lastActivityAt: number
  createdAt: number
  /** R1: when it was routed to its queue; null while it waits to be. */
  routedAt: number | null
  /** Since when it waits in its queue for an agent; null while an agent holds it or it has ended. */
  waitingSince: number | null
  /** When it last ended (kept while reopened until routed again, for the threading window, R4). */
  endedAt: number | null
  wrapUpCode: string | null
}

/** One inbox row (A1): the conversation, who the customer is, and its latest message. */
export interface ConversationSummary extends Conversation {
  customer: { name: string | null; username: string | null; profilePicUrl: string | null } | null
  lastMessage: { mid: string; direction: Direction; kind: MessageKind; text: string | null; createdAt: number; withdrawn: boolean } | null
}

export const ConversationListOptions = z.strictObject({
  /** An agent's conversations; `null` for those waiting unassigned; absent for all. */
  agentId: id.nullable().optional(),
  state: z.enum(CONVERSATION_STATES).optional(),
  /** Only these conversations (the window refreshing the rows that changed). */
  ids: z.array(id).min(1).max(500).optional(),
  limit: z.number().int().min(1).max(500),
  /** Keyset paging: the last row of the previous page. Preferred over `offset` for long lists. */
  after: z.strictObject({ lastActivityAt: epochMs, id }).optional(),
  offset: z.number().int().nonnegative().optional(),
})
export type ConversationListOptions = z.input<typeof ConversationListOptions>
export type ConversationCountOptions = Pick<ConversationListOptions, 'agentId' | 'state'>

export const Assignment = z.strictObject({ queueId: id, agentId: id.nullable() })
export type Assignment = z.input<typeof Assignment>

export const ParticipantInput = z.strictObject({
  igAccountId: id,
  igsid: id,
  name: z.string().max(1024).nullable(),
  username: z.string().max(1024).nullable(),
  /** The URL only (it expires after a few days); never the image. */
  profilePicUrl: z.string().max(4096).nullable(),
  fetchedAt: epochMs,
})
export type ParticipantInput = z.input<typeof ParticipantInput>
export type Participant = z.output<typeof ParticipantInput>

export const OutboxAttachment = z.strictObject({
  type: z.enum(['image', 'video', 'audio', 'file']),
  url: z.string().min(1).max(4096),
  mime: z.string().max(255).optional(),
  size: z.number().int().nonnegative().optional(),
  name: z.string().max(1024).optional(),
})
export type OutboxAttachment = z.infer<typeof OutboxAttachment>

/** A reply the agent sent: text or one attachment, as the Send API takes them. */
export const NewOutboxItem = z
  .strictObject({
    /** Made by the client when the agent presses Send: the idempotency key. */
    id,
    conversationId: id,
    text: z.string().min(1).max(100_000).nullable().default(null),
    attachment: OutboxAttachment.nullable().default(null),
    createdAt: epochMs.optional(),
  })
  .refine((o) => (o.text === null) !== (o.attachment === null), { message: 'a reply carries either text or one attachment', path: ['text'] })
export type NewOutboxItem = z.input<typeof NewOutboxItem>

/** How the reply goes out, decided when it is sent (the window is checked then, A10). */
export const SendWindow = z.union([
  z.strictObject({ messagingType: z.enum(['RESPONSE', 'UPDATE']), tag: z.null().default(null) }),
  z.strictObject({ messagingType: z.literal('MESSAGE_TAG'), tag: z.literal('HUMAN_AGENT') }),
])
export type SendWindow = z.input<typeof SendWindow>

export const SendProblem = z.strictObject({
  /** A reason code, e.g. `window_closed` or `network`. */
  code: z.string().min(1).max(128),
  /** Meta's reason in plain words (A9). */
  message: z.string().max(4096),
})
export type SendProblem = z.infer<typeof SendProblem>

export interface OutboxItem {
  id: string
  conversationId: string
  text: string | null
  attachment: OutboxAttachment | null
  state: OutboxState
  messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG' | null
  tag: 'HUMAN_AGENT' | null
  attempts: number
  lastError: SendProblem | null
  sentMid: string | null
  createdAt: number
  updatedAt: number
}

export const CursorInput = z.strictObject({
  /** Graph's `after` cursor; null once the scope is read to its end. */
  cursor: z.string().max(4096).nullable(),
  syncedAt: epochMs,
})
export type CursorInput = z.input<typeof CursorInput>
export interface SyncCursor {
  integrationId: string
  scope: string
  cursor: string | null
  syncedAt: number
}

export const ids = { id, epochMs }

/** Parses at the repository boundary; a refusal names the call and every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')
  throw new StoreError('invalid_input', `${what} refused its input — ${details}`)
}
