// What happens in a conversation — a customer writes, unsends, reacts, reads; the business replies —
// and the webhook events Meta sends for it (shapes as in meta-platform.md §5).
import type { Deps } from './deps.ts'
import { randomDigits } from './ids.ts'
import { placeholderAsset } from './media.ts'
import type { Attachment, Conversation, Customer, IgAccount, Message } from './state.ts'
import { notify } from './webhooks.ts'

export const STORY_LIFETIME_MS = 24 * 3_600_000

/** Instagram's reaction names (v12+) and the emoji the webhook carries with them. */
export const REACTIONS: Record<string, string> = {
  love: '\u2764\ufe0f', like: '\ud83d\udc4d', laugh: '\ud83d\ude02', wow: '\ud83d\ude2e', sad: '\ud83d\ude22', angry: '\ud83d\ude21',
}

export function reactionName(value: string): { reaction: string; emoji: string } {
  if (REACTIONS[value]) return { reaction: value, emoji: REACTIONS[value] }
  const named = Object.entries(REACTIONS).find(([, emoji]) => emoji === value)
  return named ? { reaction: named[0], emoji: named[1] } : { reaction: 'other', emoji: value }
}

export interface InboundInput {
  account: IgAccount
  customer: Customer
  text?: string
  attachment?: { type: string; url?: string }
  storyMention?: boolean
  replyTo?: { mid: string } | { story: true }
  quickReply?: string
}

export type InboundResult =
  | { delivered: true; message: Message; conversation: Conversation; webhook: boolean }
  | { delivered: false; reason: string }

function messagePayload(message: Message): Record<string, unknown> {
  const payload: Record<string, unknown> = { mid: message.mid }
  if (message.text !== undefined) payload.text = message.text
  if (message.attachments.length > 0) {
    payload.attachments = message.attachments.map((attachment) => (attachment.url === undefined ? { type: attachment.type } : { type: attachment.type, payload: { url: attachment.url } }))
  }
  if (message.replyTo) payload.reply_to = message.replyTo
  return payload
}

export class ConversationActions {
  private readonly deps: Deps

  constructor(deps: Deps) {
    this.deps = deps
  }

  private send(igId: string, field: string, event: Record<string, unknown>): boolean {
    return notify(this.deps.state, this.deps.webhooks, igId, field, event, this.deps.clock.now()) !== undefined
  }

  private mediaUrl(kind: string, color: string, expiresAt?: number): string {
    return this.deps.media.add({ ...placeholderAsset(kind, color), expiresAt })
  }

  /** A customer writes to the business. Story mentions from private accounts the business does not follow are not delivered. */
  receive(input: InboundInput): InboundResult {
    const { account, customer } = input
    const now = this.deps.clock.now()
    if (input.storyMention && customer.private && !customer.followedBy.has(account.id)) {
      return { delivered: false, reason: 'story mention from a private account the business does not follow: Instagram delivers nothing' }
    }
    const attachments: Attachment[] = []
    let story: Message['story']
    if (input.storyMention) {
      const expiresAt = now + STORY_LIFETIME_MS
      story = { id: '1789' + randomDigits(13), url: this.mediaUrl('image', customer.color, expiresAt), expiresAt }
      attachments.push({ type: 'story_mention', url: story.url })
    }
    if (input.attachment) {
      const noPayload = input.attachment.type === 'ephemeral' || input.attachment.type === 'unsupported_type'
      attachments.push({ type: input.attachment.type, url: noPayload ? undefined : input.attachment.url ?? this.mediaUrl(input.attachment.type, customer.color) })
    }
    let replyTo: Message['replyTo']
    if (input.replyTo && 'mid' in input.replyTo) replyTo = { mid: input.replyTo.mid }
    if (input.replyTo && 'story' in input.replyTo) {
      // A reply to one of the business's stories: the story's media expires like any story.
      replyTo = { story: { url: this.mediaUrl('image', account.color, now + STORY_LIFETIME_MS), id: '1789' + randomDigits(13) } }
    }
    const conversation = this.deps.state.conversationFor(account.id, customer.id)
    const message = this.deps.state.addMessage(conversation, {
      direction: 'inbound', createdAt: now, text: input.text, attachments, replyTo, story, origin: 'customer',
    })
    const payload = messagePayload(message)
    if (input.quickReply !== undefined) payload.quick_reply = { payload: input.quickReply }
    const igsid = this.deps.state.igsid(customer.id, account.id)
    const webhook = this.send(account.id, 'messages', {
      sender: { id: igsid }, recipient: { id: account.id }, timestamp: now, message: payload,
    })
    return { delivered: true, message, conversation, webhook }
  }

  /** The business sends (Send API or the Instagram app): stored, then echoed with is_echo. */
  sendFromBusiness(conversation: Conversation, content: { text?: string; attachments: Attachment[] }, origin: 'send-api' | 'instagram-app'): Message {
    const now = this.deps.clock.now()
    const message = this.deps.state.addMessage(conversation, { direction: 'outbound', createdAt: now, text: content.text, attachments: content.attachments, origin })
    const igsid = this.deps.state.igsid(conversation.customerId, conversation.igId)
    this.send(conversation.igId, 'messages', {
      sender: { id: conversation.igId }, recipient: { id: igsid }, timestamp: now, message: { ...messagePayload(message), is_echo: true },
    })
    return message
  }

  /** The customer unsends: the content is gone from the API, and an is_deleted event follows. */
  unsend(message: Message): void {
    const conversation = this.deps.state.conversations.get(message.conversationId) as Conversation
    message.deleted = true
    delete message.text
    message.attachments = []
    const now = this.deps.clock.now()
    this.send(conversation.igId, 'messages', {
      sender: { id: this.deps.state.igsid(conversation.customerId, conversation.igId) }, recipient: { id: conversation.igId }, timestamp: now,
      message: { mid: message.mid, is_deleted: true },
    })
  }

  /** The customer reacts to (or, with null, un-reacts from) a message. */
  react(message: Message, value: string | null): void {
    const conversation = this.deps.state.conversations.get(message.conversationId) as Conversation
    const now = this.deps.clock.now()
    message.reactions = message.reactions.filter((reaction) => reaction.by !== 'customer')
    let reaction: Record<string, unknown> = { mid: message.mid, action: 'unreact' }
    if (value !== null) {
      const named = reactionName(value)
      message.reactions.push({ by: 'customer', ...named })
      reaction = { mid: message.mid, action: 'react', reaction: named.reaction, emoji: named.emoji }
    }
    this.send(conversation.igId, 'message_reactions', {
      sender: { id: this.deps.state.igsid(conversation.customerId, conversation.igId) }, recipient: { id: conversation.igId }, timestamp: now, reaction,
    })
  }

  /** The customer has seen the business's messages up to `message`. */
  seen(message: Message): void {
    const conversation = this.deps.state.conversations.get(message.conversationId) as Conversation
    const now = this.deps.clock.now()
    for (const other of conversation.messages) if (other.direction === 'outbound' && other.createdAt <= message.createdAt) other.seenAt ??= now
    this.send(conversation.igId, 'messaging_seen', {
      sender: { id: this.deps.state.igsid(conversation.customerId, conversation.igId) }, recipient: { id: conversation.igId }, timestamp: now,
      read: { mid: message.mid },
    })
  }
}
