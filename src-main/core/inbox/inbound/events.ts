// Meta's events in Parley's words: what ingest applies to the store. Webhook payloads and poller
// results are both turned into these, so there is one path into the store (A2).
import type { Attachment, MessageKind } from '../../store/index.ts'

export interface MessageEvent {
  type: 'message'
  igAccountId: string
  customerIgsid: string
  mid: string
  /** `echo`: the business sent it from elsewhere (the Instagram app, or Parley's own send echoed back). */
  direction: 'inbound' | 'echo'
  kind: MessageKind
  text: string | null
  /** Never a story mention's media (A5): that kind is stored without attachments. */
  attachments: Attachment[] | null
  replyToMid: string | null
  /** The story a story reply answers (its id only; the media stays with Meta). */
  storyId: string | null
  /** Epoch ms. */
  createdAt: number
}

/** The customer unsent a message (A6). */
export interface WithdrawEvent {
  type: 'withdraw'
  igAccountId: string
  mid: string
  at: number
}

/** The customer reacted to a message, or (`reaction: null`) took the reaction back (A8). */
export interface ReactionEvent {
  type: 'reaction'
  igAccountId: string
  mid: string
  reaction: { reaction: string; emoji: string | null } | null
  at: number
}

/** The customer has seen the business's messages up to `mid` (A8). */
export interface SeenEvent {
  type: 'seen'
  igAccountId: string
  mid: string
  at: number
}

export type InboundEvent = MessageEvent | WithdrawEvent | ReactionEvent | SeenEvent

/** One stored change, for the window to update live. `mid` is null for a customer profile update. */
export interface InboxChange {
  conversationId: string
  mid: string | null
  kind: 'message' | 'withdrawn' | 'reaction' | 'seen' | 'profile'
}
