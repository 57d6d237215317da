import { z } from 'zod'
import { Problem } from './integrations.ts'
import { ThreadRoutingView } from './routing.ts'

// Payloads of the agent's inbox (A1–A11). No token, no story-media URL, and no Meta CDN address
// the window could load behind the person's back: media the window shows comes through main.

/** A3: which reply Instagram allows now, counted from the customer's last message. */
export const ReplyWindowView = z.object({
  /** standard: < 24 h (RESPONSE) · human_agent: 24 h–7 d (MESSAGE_TAG + HUMAN_AGENT) · closed: ≥ 7 d · none: the customer never wrote. */
  kind: z.enum(['standard', 'human_agent', 'closed', 'none']),
  /** ISO time the current window ends; null when closed or none. */
  endsAt: z.string().nullable(),
  /** Less than an hour left in the current window. */
  nearDeadline: z.boolean(),
})
export type ReplyWindowView = z.infer<typeof ReplyWindowView>

export const CustomerView = z.object({
  igsid: z.string(),
  name: z.string().nullable(),
  username: z.string().nullable(),
  /** An address the window may load (served by main), or null. */
  avatarUrl: z.string().nullable(),
})

/** Whose conversations a list shows (P5): an agent's own, those waiting unassigned, or every one. */
export const InboxScope = z.enum(['mine', 'unassigned', 'all'])
export type InboxScope = z.infer<typeof InboxScope>

export const ConversationView = z.object({
  id: z.string(),
  /** Who holds it (team server); null while it waits unassigned in its queue. */
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
  integrationId: z.string(),
  integrationName: z.string(),
  /** S12: the integration was deleted; the thread stays readable but cannot be answered. */
  integrationDeleted: z.boolean(),
  customer: CustomerView,
  lastMessage: z
    .object({
      direction: z.enum(['inbound', 'outbound', 'echo']),
      kind: z.string(),
      /** A short text preview; null for media, story mentions and withdrawn messages. */
      preview: z.string().nullable(),
      withdrawn: z.boolean(),
      at: z.string(),
    })
    .nullable(),
  unreadCount: z.number().int(),
  lastActivityAt: z.string(),
  window: ReplyWindowView,
  /** R1–R5: waiting in its queue (or being offered), held by an agent, or ended. */
  routing: z.enum(['waiting', 'interacting', 'ended']),
})
export type ConversationView = z.infer<typeof ConversationView>

export const AttachmentView = z.object({
  type: z.string(),
  mime: z.string().nullable(),
  name: z.string().nullable(),
  /** An address the window may load (served by main); null when blocked or not loadable. */
  url: z.string().nullable(),
  /** The integration's content profile does not allow this inbound type. */
  blocked: z.boolean(),
})

export const MessageView = z.object({
  mid: z.string(),
  direction: z.enum(['inbound', 'outbound', 'echo']),
  kind: z.string(),
  text: z.string().nullable(),
  attachments: z.array(AttachmentView),
  /** A8: the message this one quotes, with a preview when Parley has it. */
  replyTo: z.object({ mid: z.string(), preview: z.string().nullable() }).nullable(),
  /** A5: a story mention or a reply to the business's story. Its media is only ever shown in the protected viewer. */
  story: z.object({ kind: z.enum(['mention', 'reply']) }).nullable(),
  reaction: z.object({ reaction: z.string(), emoji: z.string().nullable() }).nullable(),
  /** The customer has seen it (business messages only). */
  seen: z.boolean(),
  /** A6: the customer unsent it; its content is gone. */
  withdrawn: z.boolean(),
  createdAt: z.string(),
})
export type MessageView = z.infer<typeof MessageView>

/** A9, A10: a reply on its way, or one that failed. */
export const OutboxView = z.object({
  id: z.string(),
  conversationId: z.string(),
  state: z.enum(['waiting', 'sending', 'sent', 'failed', 'ambiguous']),
  text: z.string().nullable(),
  /** A4: the file of an attachment reply, by name and type (absent or null for a text reply). */
  attachment: z.object({ type: z.string(), name: z.string().nullable(), mime: z.string().nullable(), size: z.number().int().nullable() }).nullable().optional(),
  problem: Problem.nullable(),
  createdAt: z.string(),
})
export type OutboxView = z.infer<typeof OutboxView>

export const ThreadView = z.object({
  conversation: ConversationView,
  /** Newest first; ask again with `before` = `nextCursor` for older ones. */
  messages: z.array(MessageView),
  nextCursor: z.string().nullable(),
  /** Replies not yet sent, or failed. */
  outbox: z.array(OutboxView),
  /** A3: whether a reply can be written now, and why not. */
  composer: z.object({ enabled: z.boolean(), messagingType: z.enum(['RESPONSE', 'MESSAGE_TAG']).nullable(), problem: Problem.nullable() }),
  /** Its queue, who is offered it, and every routing step so far. */
  routing: ThreadRoutingView,
})
export type ThreadView = z.infer<typeof ThreadView>

export const InboxPage = z.object({
  items: z.array(ConversationView),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
})
export type InboxPage = z.infer<typeof InboxPage>

export const ReplyInput = z
  .object({
    /** Made by the window when Send is pressed: the same id never sends twice. */
    id: z.string().uuid(),
    conversationId: z.string().min(1),
    text: z.string().min(1).max(20_000).optional(),
    /** A4: a file staged for this conversation (`StagedAttachmentView.id`). Instagram takes a text or one file per message. */
    attachmentId: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((reply) => (reply.text === undefined) !== (reply.attachmentId === undefined), {
    message: 'A reply carries either a text or one attachment.',
    path: ['text'],
  })

/**
 * A4: a file the agent attached, held by main until its reply is sent. `problems` are the reasons
 * it cannot be sent (checked on its real bytes against the content profile and Instagram); while
 * there is one, main keeps nothing and the composer does not send it.
 */
export const StagedAttachmentView = z.object({
  id: z.string(),
  name: z.string(),
  /** How Instagram takes it: image, video, audio or file (PDF). */
  type: z.enum(['image', 'video', 'audio', 'file']),
  mime: z.string(),
  size: z.number().int(),
  problems: z.array(Problem),
})
export type StagedAttachmentView = z.infer<typeof StagedAttachmentView>

/** The desktop's open dialog: the staged file, or why it was refused (too large, not media); both null when cancelled. */
export const PickedAttachment = z.object({ attachment: StagedAttachmentView.nullable(), problem: Problem.nullable() })
export type PickedAttachment = z.infer<typeof PickedAttachment>

export const StoryOpened = z.object({
  /** False in the browser host, or when the story has expired: `problem` says why. */
  opened: z.boolean(),
  problem: Problem.nullable(),
})

/** Item 10: what a desktop notification says; the window words it in the person's language. */
export const NotificationRequest = z
  .object({
    conversationId: z.string().min(1).max(512),
    title: z.string().min(1).max(200),
    body: z.string().max(500).nullable(),
  })
  .strict()
export type NotificationRequest = z.infer<typeof NotificationRequest>
