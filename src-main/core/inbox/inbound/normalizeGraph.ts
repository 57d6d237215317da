// Conversations API message → domain events (meta-platform.md §7), for the poller. Only the 20 most
// recent messages of a conversation carry details; an entry without them is skipped, not an error.
// Shares, reactions and `is_unsupported` are read as the webhook's equivalents are, so a message
// that reaches Parley only through the poller looks the same in the thread.
import type { MessageDetails } from '../../graph/index.ts'
import type { Attachment } from '../../store/index.ts'
import { classify } from './classify.ts'
import type { MessageEvent, ReactionEvent } from './events.ts'
import { reactionOf } from './reactions.ts'
import { epochMsOf, idOf, isRecord, labelOf, MAX_ATTACHMENTS, MAX_TEXT, urlOf } from './values.ts'

export type GraphOutcome = { event: MessageEvent } | { skipped: 'no_details' } | { problem: string }

/** Fields every Graph version answers for Instagram messages. */
export const BASIC_POLL_MESSAGE_FIELDS = ['id', 'created_time', 'from', 'to', 'message', 'attachments', 'story', 'reply_to']

/**
 * Fields the poller asks for: what `classify` needs, nothing more. The last three are unverified
 * for Instagram (fact sheet §7): should Meta refuse them, the poller falls back to the basic ones.
 */
export const POLL_MESSAGE_FIELDS = [...BASIC_POLL_MESSAGE_FIELDS, 'shares', 'reactions', 'is_unsupported']

export function normalizeGraphMessage(message: MessageDetails, igAccountId: string): GraphOutcome {
  const mid = idOf(message.id)
  if (!mid) return { problem: 'message without id' }
  if (!message.from) return { skipped: 'no_details' }
  const createdAt = epochMsOf(message.createdTime)
  if (createdAt === null) return { problem: 'message without a valid created_time' }
  const echo = message.from.id === igAccountId
  const customer = echo ? message.to.find((p) => p.id !== igAccountId)?.id : message.from.id
  if (!customer || idOf(customer) === null) return { problem: 'message without a customer id' }
  if (message.text !== null && message.text.length > MAX_TEXT) return { problem: `text longer than ${MAX_TEXT} characters` }

  const storyReply = message.replyTo?.story ? { id: idOf(message.replyTo.story.id) } : null
  const attachments = [...message.attachments.map(attachmentOf), ...sharesOf(message)].slice(0, MAX_ATTACHMENTS)
  // A story mention's media is never kept (A5), however Graph happens to describe it.
  const mentionAttachment = attachments.some((a) => a.type === 'story_mention')
  const classified = classify({
    text: message.text === '' ? null : message.text,
    attachments: attachments.filter((a) => a.type !== 'story_mention'),
    storyMention: message.storyMention !== null || mentionAttachment,
    storyReply,
    isUnsupported: message.isUnsupported,
  })
  return {
    event: {
      type: 'message', igAccountId, customerIgsid: customer, mid, direction: echo ? 'echo' : 'inbound', ...classified,
      replyToMid: classified.kind === 'story_mention' ? null : idOf(message.replyTo?.mid), createdAt,
    },
  }
}

/** Graph describes attachments by their data (`image_data`, `video_data`, `file_url`), not by a type. */
function attachmentOf(raw: Record<string, unknown>): Attachment {
  const mime = labelOf(raw.mime_type, 255)
  const name = labelOf(raw.name, 1024)
  const extra = { ...(mime ? { mime } : {}), ...(name ? { name } : {}) }
  if (isRecord(raw.image_data)) return { type: 'image', url: urlOf(raw.image_data.url), ...extra }
  if (isRecord(raw.video_data)) return { type: 'video', url: urlOf(raw.video_data.url), ...extra }
  if (raw.file_url !== undefined) return { type: mime?.startsWith('audio/') ? 'audio' : 'file', url: urlOf(raw.file_url), ...extra }
  return { type: labelOf(raw.type) ?? 'file', url: null, ...extra }
}

/**
 * A shared post or reel, as the webhook's `share` attachment (only its link is given). Skipped when
 * the attachments already carry the same link.
 */
function sharesOf(message: MessageDetails): Attachment[] {
  const known = new Set<string>()
  for (const raw of message.attachments) for (const data of [raw.image_data, raw.video_data]) if (isRecord(data) && typeof data.url === 'string') known.add(data.url)
  return message.shares
    .map((share): Attachment => ({ type: 'share', url: urlOf(share.link), ...(labelOf(share.name, 1024) ? { name: share.name as string } : {}) }))
    .filter((share) => share.url === null || !known.has(share.url))
}

/**
 * The customer's reaction to a message, as the webhook's `message_reactions` would bring it. Graph
 * gives no time, so the message's own time stands in. Only reactions present are reported: an empty
 * list may also mean Meta does not return the field for Instagram, so it never takes a reaction
 * back (the webhook's `unreact` does).
 */
export function graphReactions(message: MessageDetails, igAccountId: string): ReactionEvent[] {
  const mid = idOf(message.id)
  const at = epochMsOf(message.createdTime)
  if (!mid || at === null || !message.from) return []
  const byCustomer = message.reactions.filter((r) => r.users.some((user) => user.id !== igAccountId))
  const latest = byCustomer.at(-1)
  const reaction = latest ? reactionOf(latest.reaction) : null
  return reaction ? [{ type: 'reaction', igAccountId, mid, reaction, at }] : []
}
