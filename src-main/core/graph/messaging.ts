// Instagram messaging through the Page (fact sheet §6–§8): Conversations API, message details, the
// Send API with its reply windows, sender actions and the User Profile API. All with a page token.
import { z } from 'zod'
import { graphId, paged, type Page } from './schemas.ts'
import type { EndpointContext } from './tokens.ts'

export interface Conversation {
  id: string
  /** As Meta writes it, e.g. `2022-07-12T19:11:07+0000`. */
  updatedTime: string | null
}

export interface Participant {
  id: string
  username: string | null
}

export interface MessageDetails {
  id: string
  createdTime: string | null
  from: Participant | null
  to: Participant[]
  text: string | null
  /** Inline reply (`mid`) or story reply (`story`). */
  replyTo: { mid: string | null; isSelfReply: boolean | null; story: { id: string; url: string | null } | null } | null
  /** `fields=story`: the story this message mentions. Its link must never be downloaded or kept (A5). */
  storyMention: { id: string; link: string | null } | null
  /** `fields=attachments`: as Meta returns them (image_data, video_data, file_url …). */
  attachments: Record<string, unknown>[]
  /** `fields=shares`: a shared post or reel; Meta returns only its link (fact sheet §7). */
  shares: { id: string | null; link: string | null; name: string | null }[]
  /** `fields=reactions`: who reacted with what (an emoji or a name). Carries no time. */
  reactions: { reaction: string | null; users: Participant[] }[]
  /** `fields=is_unsupported`: Meta could not show this message's content through the API. */
  isUnsupported: boolean
}

export interface ListOptions {
  after?: string
  limit?: number
  fields?: string[]
}

export type AttachmentType = 'image' | 'video' | 'audio' | 'file'

export type SendContent =
  | { text: string; attachment?: undefined }
  | { attachment: { type: AttachmentType; url: string }; text?: undefined }

/** RESPONSE within 24 h of the customer's last message; MESSAGE_TAG + HUMAN_AGENT up to 7 days (A3). */
export type SendWindow = { messagingType: 'RESPONSE' | 'UPDATE'; tag?: undefined } | { messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }

export type SendRequest = SendContent &
  SendWindow & {
    /** The customer's Instagram-scoped id (IGSID). */
    recipientId: string
    /** Send as `/{page-id}/messages` instead of `/me/messages`. */
    pageId?: string
  }

export interface SendResult {
  recipientId: string
  messageId: string
}

export type SenderAction =
  | { recipientId: string; action: 'mark_seen' | 'typing_on' | 'typing_off' }
  | { recipientId: string; action: 'react'; messageId: string; reaction: string }
  | { recipientId: string; action: 'unreact'; messageId: string }

export interface UserProfile {
  id: string
  name: string | null
  username: string | null
  /** Expires after a few days: show it, don't keep it. */
  profilePic: string | null
  followerCount: number | null
  isUserFollowBusiness: boolean | null
  isBusinessFollowUser: boolean | null
  isVerifiedUser: boolean | null
}

const CONVERSATION_FIELDS = ['id', 'updated_time']
const MESSAGE_FIELDS = ['id', 'created_time', 'from', 'to', 'message']
const PROFILE_FIELDS = 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user'

const participant = z.object({ id: graphId, username: z.string().optional().catch(undefined) })

const conversation = z.object({ id: graphId, updated_time: z.string().optional() })

/**
 * `{data:[…]}` whose items are read one by one: an item that does not fit is dropped, and a list
 * that is not a list reads as empty. Used for the message fields marked unverified for Instagram
 * (fact sheet §7), so one odd field never costs the message, let alone the page.
 */
function lenientList<T extends z.ZodType>(item: T) {
  return z
    .unknown()
    .transform((value): z.output<T>[] => {
      const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined
      if (!Array.isArray(data)) return []
      return data.flatMap((entry) => {
        const parsed = item.safeParse(entry)
        return parsed.success ? [parsed.data as z.output<T>] : []
      })
    })
    .optional()
}

/** Optional, and undefined when present but malformed. */
const loose = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

// Only `id` is required: Meta lists messages past the 20 most recent with id and created_time only.
const message = z.object({
  id: graphId,
  created_time: loose(z.string()),
  from: loose(participant),
  to: lenientList(participant),
  message: loose(z.string()),
  reply_to: loose(z.object({
    mid: loose(z.string()),
    is_self_reply: loose(z.boolean()),
    story: loose(z.object({ id: graphId, url: loose(z.string()) })),
  })),
  // `mention` is documented (fact sheet §5); `reply_to` — a reply to the business's story — is how
  // the sandbox answers and is read the same way when present [UNVERIFIED on Meta].
  story: loose(z.object({
    mention: loose(z.object({ id: graphId, link: loose(z.string()) })),
    reply_to: loose(z.object({ id: graphId, link: loose(z.string()) })),
  })),
  attachments: lenientList(z.record(z.string(), z.unknown())),
  shares: lenientList(z.object({ id: loose(graphId), link: loose(z.string()), name: loose(z.string()) })),
  // Messenger's shape, `{reaction, users:[{id, username}]}` [UNVERIFIED for Instagram].
  reactions: lenientList(z.object({ reaction: loose(z.string()), users: loose(z.array(z.unknown())) })),
  is_unsupported: loose(z.boolean()),
})

const sendResponse = z.object({ recipient_id: graphId, message_id: z.string().min(1) })

const profile = z.object({
  id: graphId,
  name: z.string().nullish(),
  username: z.string().nullish(),
  profile_pic: z.string().nullish(),
  follower_count: z.number().nullish(),
  is_user_follow_business: z.boolean().nullish(),
  is_business_follow_user: z.boolean().nullish(),
  is_verified_user: z.boolean().nullish(),
})

const toParticipant = (p: z.output<typeof participant>): Participant => ({ id: p.id, username: p.username ?? null })

function toMessage(m: z.output<typeof message>): MessageDetails {
  const storyReply = m.story?.reply_to
  const reply = m.reply_to ?? (storyReply ? { story: { id: storyReply.id, url: storyReply.link } } : undefined)
  const mention = m.story?.mention
  return {
    id: m.id,
    createdTime: m.created_time ?? null,
    from: m.from ? toParticipant(m.from) : null,
    to: (m.to ?? []).map(toParticipant),
    text: m.message ?? null,
    replyTo: reply
      ? { mid: reply.mid ?? null, isSelfReply: reply.is_self_reply ?? null, story: reply.story ? { id: reply.story.id, url: reply.story.url ?? null } : null }
      : null,
    storyMention: mention ? { id: mention.id, link: mention.link ?? null } : null,
    attachments: m.attachments ?? [],
    shares: (m.shares ?? []).map((share) => ({ id: share.id ?? null, link: share.link ?? null, name: share.name ?? null })),
    reactions: (m.reactions ?? []).map((r) => ({
      reaction: r.reaction ?? null,
      users: (r.users ?? []).flatMap((user) => {
        const parsed = participant.safeParse(user)
        return parsed.success ? [toParticipant(parsed.data)] : []
      }),
    })),
    isUnsupported: m.is_unsupported ?? false,
  }
}

/** Stands for a list entry Parley could not read at all: no id, so nobody mistakes it for a message. */
const unreadable = (): MessageDetails => ({
  id: '', createdTime: null, from: null, to: [], text: null, replyTo: null, storyMention: null, attachments: [], shares: [], reactions: [], isUnsupported: false,
})

const seg = encodeURIComponent

export function messagingCalls({ transport }: EndpointContext) {
  return {
    /** Instagram conversations of a Page, most recently updated first; `userId` narrows to one customer. */
    async conversations(pageId: string, pageToken: string, options: ListOptions & { userId?: string } = {}): Promise<Page<Conversation>> {
      const page = await transport.call({
        method: 'GET', path: `/${seg(pageId)}/conversations`, endpoint: 'GET /{page-id}/conversations', accessToken: pageToken,
        query: {
          platform: 'instagram', user_id: options.userId, fields: (options.fields ?? CONVERSATION_FIELDS).join(','),
          limit: options.limit, after: options.after,
        },
        schema: paged(conversation),
      })
      return { items: page.items.map((c) => ({ id: c.id, updatedTime: c.updated_time ?? null })), nextCursor: page.nextCursor }
    },

    /**
     * Messages of a conversation, newest first (the `messages` edge). Meta returns details only for
     * the 20 most recent; older ids answer "message has been deleted".
     */
    async conversationMessages(conversationId: string, pageToken: string, options: ListOptions = {}): Promise<Page<MessageDetails>> {
      const page = await transport.call({
        method: 'GET', path: `/${seg(conversationId)}/messages`, endpoint: 'GET /{conversation-id}/messages', accessToken: pageToken,
        query: { fields: (options.fields ?? MESSAGE_FIELDS).join(','), limit: options.limit, after: options.after },
        // A message that does not fit is handed on as one without an id (the poller counts it as
        // malformed); the rest of the page is still used.
        schema: paged(message.nullable().catch(null)),
      })
      return { items: page.items.map((m) => (m ? toMessage(m) : unreadable())), nextCursor: page.nextCursor }
    },

    /** One message's fields, e.g. `['story', 'from']` for a story mention. */
    async message(messageId: string, pageToken: string, fields: string[] = MESSAGE_FIELDS): Promise<MessageDetails> {
      const m = await transport.call({
        method: 'GET', path: `/${seg(messageId)}`, endpoint: 'GET /{message-id}', accessToken: pageToken,
        query: { fields: fields.join(',') }, schema: message,
      })
      return toMessage(m)
    },

    /**
     * Send API. Never repeated automatically: when the connection fails after sending, the error is
     * `network` with `ambiguous: true`, and the caller checks the conversation before sending again.
     */
    async send(pageToken: string, request: SendRequest): Promise<SendResult> {
      if ((request.text === undefined) === (request.attachment === undefined)) {
        throw new TypeError('send: give either text or an attachment')
      }
      const content = request.text !== undefined
        ? { text: request.text }
        : { attachment: { type: request.attachment.type, payload: { url: request.attachment.url } } }
      const body: Record<string, unknown> = { recipient: { id: request.recipientId }, message: content, messaging_type: request.messagingType }
      if (request.messagingType === 'MESSAGE_TAG') body.tag = request.tag
      const sent = await transport.call({
        method: 'POST',
        path: request.pageId ? `/${seg(request.pageId)}/messages` : '/me/messages',
        endpoint: request.pageId ? 'POST /{page-id}/messages' : 'POST /me/messages',
        accessToken: pageToken, body, schema: sendResponse,
      })
      return { recipientId: sent.recipient_id, messageId: sent.message_id }
    },

    /** Seen, typing, and reactions (the Send API with `sender_action`; also never repeated). */
    async senderAction(pageToken: string, action: SenderAction): Promise<void> {
      const body: Record<string, unknown> = { recipient: { id: action.recipientId }, sender_action: action.action }
      if (action.action === 'react') body.payload = { message_id: action.messageId, reaction: action.reaction }
      if (action.action === 'unreact') body.payload = { message_id: action.messageId }
      await transport.call({
        method: 'POST', path: '/me/messages', endpoint: 'POST /me/messages (sender_action)', accessToken: pageToken, body,
        schema: z.object({ recipient_id: graphId.optional() }),
      })
    },

    /** User Profile API: only for customers who messaged the business (else `consent_required`). */
    async userProfile(igsid: string, pageToken: string): Promise<UserProfile> {
      const p = await transport.call({
        method: 'GET', path: `/${seg(igsid)}`, endpoint: 'GET /{igsid}', accessToken: pageToken, query: { fields: PROFILE_FIELDS }, schema: profile,
      })
      return {
        id: p.id,
        name: p.name ?? null,
        username: p.username ?? null,
        profilePic: p.profile_pic ?? null,
        followerCount: p.follower_count ?? null,
        isUserFollowBusiness: p.is_user_follow_business ?? null,
        isBusinessFollowUser: p.is_business_follow_user ?? null,
        isVerifiedUser: p.is_verified_user ?? null,
      }
    },
  }
}

export type MessagingCalls = ReturnType<typeof messagingCalls>
