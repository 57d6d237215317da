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

const participant = z.object({ id: graphId, username: z.string().optional() })

const conversation = z.object({ id: graphId, updated_time: z.string().optional() })

const message = z.object({
  id: graphId,
  created_time: z.string().optional(),
  from: participant.optional(),
  to: z.object({ data: z.array(participant) }).optional(),
  message: z.string().optional(),
  reply_to: z
    .object({
      mid: z.string().optional(),
      is_self_reply: z.boolean().optional(),
      story: z.object({ id: graphId, url: z.string().optional() }).optional(),
    })
    .optional(),
  // `mention` is documented (fact sheet §5); `reply_to` — a reply to the business's story — is how
  // the sandbox answers and is read the same way when present [UNVERIFIED on Meta].
  story: z
    .object({
      mention: z.object({ id: graphId, link: z.string().optional() }).optional(),
      reply_to: z.object({ id: graphId, link: z.string().optional() }).optional(),
    })
    .optional(),
  attachments: z.object({ data: z.array(z.record(z.string(), z.unknown())) }).optional(),
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
    to: (m.to?.data ?? []).map(toParticipant),
    text: m.message ?? null,
    replyTo: reply
      ? { mid: reply.mid ?? null, isSelfReply: reply.is_self_reply ?? null, story: reply.story ? { id: reply.story.id, url: reply.story.url ?? null } : null }
      : null,
    storyMention: mention ? { id: mention.id, link: mention.link ?? null } : null,
    attachments: m.attachments?.data ?? [],
  }
}

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
        schema: paged(message),
      })
      return { items: page.items.map(toMessage), nextCursor: page.nextCursor }
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
