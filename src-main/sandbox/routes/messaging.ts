// Instagram messaging: the Conversations API (conversations, messages, message fields), the User
// Profile API (IGSID nodes) and the Send API (/me/messages, /{page-id}/messages).
import type { Context, Hono } from 'hono'
import { graphTime } from '../clock.ts'
import { ConversationActions, reactionName } from '../conversations.ts'
import type { Deps } from '../deps.ts'
import { GraphError, graphErrors } from '../errors.ts'
import { render, type FieldNode, type NodeType } from '../fields.ts'
import { graphRequest, hasScope, messagingAccount, pageFor, type GraphEnv, type GraphRequest } from '../graph.ts'
import { placeholderAsset } from '../media.ts'
import { inspectAttachment } from '../outboundMedia.ts'
import { paginate } from '../paging.ts'
import { readParams } from '../params.ts'
import type { Attachment, Conversation, Customer, IgAccount, Message, SentRecord } from '../state.ts'
import type { Token } from '../tokens.ts'
import { checkWindow } from '../windows.ts'

/** Only the 20 most recent messages of a conversation can be read in detail. */
export const DETAIL_LIMIT = 20
const TEXT_LIMIT_BYTES = 1000

function requireMessagingScope(deps: Deps, token: Token): void {
  if (!hasScope(deps, token, 'instagram_manage_messages')) throw graphErrors.noMessagingPermission()
}

/** Visible messages, newest first (unsent ones are gone from the API). */
function newestFirst(conversation: Conversation): Message[] {
  return conversation.messages.filter((message) => !message.deleted).reverse()
}

function participant(deps: Deps, conversation: Conversation, side: 'customer' | 'business'): { username: string; id: string } {
  if (side === 'business') {
    const account = deps.state.igAccounts.get(conversation.igId) as IgAccount
    return { username: account.username, id: account.id }
  }
  const customer = deps.state.customers.get(conversation.customerId) as Customer
  return { username: customer.username, id: deps.state.igsid(customer.id, conversation.igId) }
}

/** Shared posts are not attachments in Graph: they come back under `shares`, as their link only. */
const SHARED_POSTS = ['share', 'ig_post']

function attachmentData(message: Message): Record<string, unknown>[] {
  return message.attachments
    .filter((attachment) => attachment.type !== 'story_mention' && !SHARED_POSTS.includes(attachment.type) && attachment.url)
    .map((attachment, index) => {
      const id = `${message.mid.slice(0, 12)}${index}`
      if (attachment.type === 'image') return { id, mime_type: 'image/png', name: `image-${index}.png`, image_data: { url: attachment.url, preview_url: attachment.url, width: 64, height: 64 } }
      if (attachment.type === 'video' || attachment.type === 'ig_reel' || attachment.type === 'reel') return { id, mime_type: 'video/mp4', name: `video-${index}.mp4`, video_data: { url: attachment.url, preview_url: attachment.url, width: 64, height: 64 } }
      return { id, mime_type: attachment.type === 'audio' ? 'audio/mp4' : 'application/pdf', name: `${attachment.type}-${index}`, file_url: attachment.url }
    })
}

function messageType(deps: Deps): NodeType<Message> {
  const conversationOf = (message: Message) => deps.state.conversations.get(message.conversationId) as Conversation
  return {
    name: 'Message',
    defaults: ['id', 'created_time'],
    fields: {
      id: (message) => message.mid,
      created_time: (message) => graphTime(message.createdAt),
      from: (message) => participant(deps, conversationOf(message), message.direction === 'inbound' ? 'customer' : 'business'),
      to: (message) => ({ data: [participant(deps, conversationOf(message), message.direction === 'inbound' ? 'business' : 'customer')] }),
      message: (message) => message.text ?? '',
      attachments: (message) => {
        const data = attachmentData(message)
        return data.length > 0 ? { data } : undefined
      },
      shares: (message) => {
        const shares = message.attachments.filter((attachment) => SHARED_POSTS.includes(attachment.type))
        return shares.length > 0 ? { data: shares.map((share) => ({ link: share.url })) } : undefined
      },
      story: (message) => {
        if (message.story) return { mention: { link: message.story.url, id: message.story.id } }
        if (message.replyTo && 'story' in message.replyTo) return { reply_to: { link: message.replyTo.story.url, id: message.replyTo.story.id } }
        return undefined
      },
      reply_to: (message) => {
        if (!message.replyTo || !('mid' in message.replyTo)) return undefined
        const quoted = deps.state.messages.get(message.replyTo.mid)
        return { mid: message.replyTo.mid, is_self_reply: quoted?.direction === message.direction }
      },
      reactions: (message) => {
        if (message.reactions.length === 0) return undefined
        const conversation = conversationOf(message)
        return { data: message.reactions.map((reaction) => ({ reaction: reaction.emoji, users: [participant(deps, conversation, reaction.by)] })) }
      },
      is_unsupported: (message) => message.attachments.some((attachment) => attachment.type === 'unsupported_type'),
    },
  }
}

/** Messages edge: newest first; entries past the 20 most recent carry only id and created_time. */
async function messagesEdge(deps: Deps, conversation: Conversation, node: FieldNode | undefined, request: GraphRequest, pageUrl: URL) {
  const messages = newestFirst(conversation)
  const recent = new Set(messages.slice(0, DETAIL_LIMIT).map((message) => message.mid))
  const paging = { limit: node?.args.limit ?? request.params.string('limit'), after: node?.args.after ?? request.params.string('after'), before: node?.args.before ?? request.params.string('before') }
  const { slice, paging: wrap } = paginate(messages, (message) => message.mid, paging, pageUrl)
  const type = messageType(deps)
  const data = await Promise.all(slice.map((message) =>
    recent.has(message.mid) ? render(type, message, node?.children) : { id: message.mid, created_time: graphTime(message.createdAt) }))
  return wrap(data)
}

function conversationType(deps: Deps, request: GraphRequest, origin: string): NodeType<Conversation> {
  return {
    name: 'UnifiedThread',
    defaults: ['id'],
    fields: {
      id: (conversation) => conversation.id,
      updated_time: (conversation) => graphTime(deps.state.updatedTime(conversation)),
      message_count: (conversation) => newestFirst(conversation).length,
      unread_count: (conversation) => {
        const lastOutbound = conversation.messages.findLast((message) => message.direction === 'outbound')?.createdAt ?? -Infinity
        return conversation.messages.filter((message) => message.direction === 'inbound' && !message.deleted && message.createdAt > lastOutbound).length
      },
      participants: (conversation) => ({ data: [participant(deps, conversation, 'customer'), participant(deps, conversation, 'business')] }),
      messages: (conversation, node) => messagesEdge(deps, conversation, node, request, new URL(`${origin}/v25.0/${conversation.id}/messages?access_token=${encodeURIComponent(request.token.value)}`)),
    },
  }
}

function profileType(deps: Deps, account: IgAccount): NodeType<Customer> {
  return {
    name: 'InstagramUser',
    defaults: ['name', 'profile_pic'],
    fields: {
      id: (customer) => deps.state.igsid(customer.id, account.id),
      name: (customer) => customer.name,
      username: (customer) => customer.username,
      profile_pic: (customer) => deps.media.profilePicture(`profile-${customer.id}`, customer.color),
      follower_count: (customer) => customer.followerCount,
      is_user_follow_business: (customer) => customer.follows.has(account.id),
      is_business_follow_user: (customer) => customer.followedBy.has(account.id),
      is_verified_user: (customer) => customer.verified,
    },
  }
}

/** The conversation, message or IGSID an id stands for, checked against the page token. */
export async function renderMessagingNode(deps: Deps, request: GraphRequest, id: string, c: Context<GraphEnv>): Promise<Record<string, unknown> | undefined> {
  const { token, fields } = request
  const { state } = deps
  const ownedByToken = (igId: string) => token.type === 'PAGE' && state.pages.get(token.pageId ?? '')?.instagramId === igId
  const conversation = state.conversations.get(id)
  if (conversation) {
    if (!ownedByToken(conversation.igId)) throw graphErrors.unknownObject(id)
    requireMessagingScope(deps, token)
    deps.limits.takePerSecond('conversations', conversation.igId)
    c.set('usageIgId', conversation.igId)
    return render(conversationType(deps, request, deps.origin), conversation, fields)
  }
  const message = state.messages.get(id)
  if (message) {
    const owner = state.conversations.get(message.conversationId) as Conversation
    if (!ownedByToken(owner.igId)) throw graphErrors.unknownObject(id)
    requireMessagingScope(deps, token)
    deps.limits.takePerSecond('conversations', owner.igId)
    c.set('usageIgId', owner.igId)
    const recent = newestFirst(owner).slice(0, DETAIL_LIMIT)
    if (message.deleted || !recent.includes(message)) throw graphErrors.messageDeleted()
    return render(messageType(deps), message, fields)
  }
  const scoped = state.scopedUser(id)
  if (scoped) {
    if (!ownedByToken(scoped.account.id)) throw graphErrors.unknownObject(id)
    requireMessagingScope(deps, token)
    // User Profile API consent: only once the person has messaged this business.
    const thread = state.findConversation(scoped.account.id, scoped.customer.id)
    if (!thread || state.lastInboundAt(thread) === undefined) throw graphErrors.consentRequired()
    return render(profileType(deps, scoped.account), scoped.customer, fields)
  }
  return undefined
}

export function registerMessagingRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  const actions = new ConversationActions(deps)

  app.get('/:id/conversations', async (c) => {
    const request = await graphRequest(c, deps)
    const page = pageFor(deps, request.token, c.req.param('id'))
    requireMessagingScope(deps, request.token)
    const platform = request.params.string('platform') ?? 'messenger'
    if (platform !== 'instagram') {
      if (platform !== 'messenger') throw graphErrors.invalidParam(`Param platform must be one of {MESSENGER, INSTAGRAM} - got "${platform}"`)
      return c.json({ data: [] })
    }
    const account = messagingAccount(deps, page)
    deps.limits.takePerSecond('conversations', account.id)
    c.set('usageIgId', account.id)
    const userId = request.params.string('user_id')
    let conversations = [...deps.state.conversations.values()].filter((conversation) => conversation.igId === account.id)
    if (userId) conversations = conversations.filter((conversation) => deps.state.igsid(conversation.customerId, account.id) === userId)
    conversations.sort((a, b) => deps.state.updatedTime(b) - deps.state.updatedTime(a))
    const { slice, paging } = paginate(conversations, (conversation) => conversation.id, request.params.paging(), new URL(c.req.url))
    const type = conversationType(deps, request, deps.origin)
    const selection = request.fields ?? (userId ? [{ name: 'id', args: {} }] : [{ name: 'id', args: {} }, { name: 'updated_time', args: {} }])
    return c.json(paging(await Promise.all(slice.map((conversation) => render(type, conversation, selection)))))
  })

  app.get('/:id/messages', async (c) => {
    const request = await graphRequest(c, deps)
    const id = c.req.param('id')
    const conversation = deps.state.conversations.get(id)
    const page = deps.state.pages.get(request.token.pageId ?? '')
    if (!conversation || request.token.type !== 'PAGE' || page?.instagramId !== conversation.igId) throw graphErrors.unknownObject(id)
    requireMessagingScope(deps, request.token)
    deps.limits.takePerSecond('conversations', conversation.igId)
    c.set('usageIgId', conversation.igId)
    const node: FieldNode = { name: 'messages', args: {}, children: request.fields }
    return c.json(await messagesEdge(deps, conversation, node, request, new URL(c.req.url)))
  })

  app.post('/:id/messages', async (c) => {
    const raw = await readParams(c)
    const record: SentRecord = {
      at: graphTime(deps.clock.now()), path: c.req.path, recipient: safeObject(() => raw.object('recipient')) ?? raw.string('recipient'),
      messaging_type: raw.string('messaging_type'), tag: raw.string('tag'), message: safeObject(() => raw.object('message')) ?? raw.string('message'),
      sender_action: raw.string('sender_action'), outcome: 'refused',
    }
    try {
      const result = await send(c, c.req.param('id'), record)
      record.outcome = 'accepted'
      return c.json(result)
    } catch (error) {
      if (error instanceof GraphError) record.error = { code: error.code, error_subcode: error.subcode, message: error.message }
      throw error
    } finally {
      deps.state.sent.push(record)
    }
  })

  async function send(c: Context<GraphEnv>, id: string, record: SentRecord): Promise<Record<string, unknown>> {
    const { token, params } = await graphRequest(c, deps)
    const page = pageFor(deps, token, id)
    record.pageId = page.id
    requireMessagingScope(deps, token)
    const account = messagingAccount(deps, page)
    record.instagramId = account.id
    c.set('usageIgId', account.id)
    const recipient = params.object('recipient')
    if (!recipient || typeof recipient.id !== 'string' || recipient.id === '') throw graphErrors.invalidParam('param recipient must be non-empty.')
    const scoped = deps.state.scopedUser(recipient.id)
    const conversation = scoped && scoped.account.id === account.id ? deps.state.findConversation(account.id, scoped.customer.id) : undefined
    if (!conversation) throw graphErrors.noMatchingUser()
    const now = deps.clock.now()

    const senderAction = params.string('sender_action')
    if (senderAction !== undefined) {
      deps.limits.takePerSecond('send_text', account.id)
      if (['typing_on', 'typing_off', 'mark_seen'].includes(senderAction)) return { recipient_id: recipient.id }
      if (senderAction === 'react' || senderAction === 'unreact') {
        const payload = params.object('payload')
        const target = deps.state.messages.get(String(payload?.message_id ?? ''))
        if (!target || target.conversationId !== conversation.id || target.deleted) throw graphErrors.invalidParam('Param payload[message_id] must be a message of this conversation')
        target.reactions = target.reactions.filter((reaction) => reaction.by !== 'business')
        if (senderAction === 'react') {
          if (typeof payload?.reaction !== 'string' || payload.reaction === '') throw graphErrors.invalidParam('Param payload[reaction] is required')
          target.reactions.push({ by: 'business', ...reactionName(payload.reaction) })
        }
        // Business reactions are not echoed (meta-platform.md §5).
        return { recipient_id: recipient.id }
      }
      throw graphErrors.invalidParam(`Param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact} - got "${senderAction}"`)
    }

    const message = params.object('message')
    const text = message?.text
    const attachment = message?.attachment as { type?: unknown; payload?: { url?: unknown; attachment_id?: unknown } } | undefined
    if (!message || ((text === undefined || text === '') && attachment === undefined)) throw new GraphError({ message: '(#100) Message cannot be empty, must provide valid attachment or text', code: 100, subcode: 2018034 })
    if (text !== undefined && typeof text !== 'string') throw graphErrors.invalidParam('Param message[text] must be a string')
    if (typeof text === 'string' && Buffer.byteLength(text, 'utf8') > TEXT_LIMIT_BYTES) throw graphErrors.invalidParam(`Length of param message[text] must be less than or equal to ${TEXT_LIMIT_BYTES}`)
    const attachmentType = attachment ? String(attachment.type ?? '') : undefined
    deps.limits.takePerSecond(attachmentType === 'audio' || attachmentType === 'video' ? 'send_media' : 'send_text', account.id)
    checkWindow(deps.state.lastInboundAt(conversation), now, params.string('messaging_type') ?? 'RESPONSE', params.string('tag'))

    const attachments: Attachment[] = []
    if (attachment && attachmentType !== undefined) {
      if (attachmentType === 'like_heart') {
        attachments.push({ type: 'like_heart' })
      } else {
        if (attachment.payload?.attachment_id !== undefined) throw graphErrors.invalidParam('The sandbox does not emulate attachment_id uploads: send payload.url')
        await inspectAttachment(attachmentType, String(attachment.payload?.url ?? ''))
        // Meta re-hosts what it fetched on its own CDN; the echo carries that URL.
        attachments.push({ type: attachmentType, url: deps.media.add(placeholderAsset(attachmentType, account.color)) })
      }
    }
    const sent = actions.sendFromBusiness(conversation, { text: typeof text === 'string' ? text : undefined, attachments }, 'send-api')
    record.message_id = sent.mid
    return { recipient_id: recipient.id, message_id: sent.mid }
  }
}

function safeObject(read: () => Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}
