// Conversations API message → domain event (meta-platform.md §7), for the poller. Only the 20 most
// recent messages of a conversation carry details; an entry without them is skipped, not an error.
import type { MessageDetails } from '../../graph/index.ts'
import type { Attachment } from '../../store/index.ts'
import { classify } from './classify.ts'
import type { MessageEvent } from './events.ts'
import { epochMsOf, idOf, isRecord, labelOf, MAX_ATTACHMENTS, MAX_TEXT, urlOf } from './values.ts'

export type GraphOutcome = { event: MessageEvent } | { skipped: 'no_details' } | { problem: string }

/** Fields the poller asks for: what `classify` needs, nothing more. */
export const POLL_MESSAGE_FIELDS = ['id', 'created_time', 'from', 'to', 'message', 'attachments', 'story', 'reply_to']

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
  const attachments = message.attachments.slice(0, MAX_ATTACHMENTS).map(attachmentOf)
  // A story mention's media is never kept (A5), however Graph happens to describe it.
  const mentionAttachment = attachments.some((a) => a.type === 'story_mention')
  const classified = classify({
    text: message.text === '' ? null : message.text,
    attachments: attachments.filter((a) => a.type !== 'story_mention'),
    storyMention: message.storyMention !== null || mentionAttachment,
    storyReply,
    isUnsupported: false,
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
