// Which kind of message an Instagram message is (meta-platform.md §5), shared by the webhook and
// poller normalisers. Story mentions keep no URL and no text (A5): their media stays with Meta.
import type { Attachment, MessageKind } from '../../store/index.ts'

export const SHARE_TYPES = new Set(['share', 'ig_post', 'ig_reel', 'reel'])
const NO_CONTENT_TYPES = new Set(['ephemeral', 'unsupported_type', 'unsupported'])

export interface MessageContent {
  text: string | null
  attachments: Attachment[]
  storyMention: boolean
  /** Set for a reply to a story; the id may be unknown (null) while it still is a story reply. */
  storyReply: { id: string | null } | null
  isUnsupported: boolean
}

export interface Classified {
  kind: MessageKind
  text: string | null
  attachments: Attachment[] | null
  storyId: string | null
}

export function classify(content: MessageContent): Classified {
  if (content.storyMention) return { kind: 'story_mention', text: null, attachments: null, storyId: null }
  const attachments = content.attachments.length > 0 ? content.attachments : null
  if (content.storyReply) return { kind: 'story_reply', text: content.text, attachments, storyId: content.storyReply.id }
  const types = content.attachments.map((a) => a.type)
  const unsupported = content.isUnsupported || (types.length > 0 && types.every((t) => t === 'unsupported_type' || t === 'unsupported'))
  if (unsupported && content.text === null) return { kind: 'unsupported', text: null, attachments: null, storyId: null }
  if (types.length > 0 && types.every((t) => t === 'ephemeral')) return { kind: 'ephemeral', text: content.text, attachments, storyId: null }
  if (types.some((t) => SHARE_TYPES.has(t))) return { kind: 'share', text: content.text, attachments, storyId: null }
  if (types.some((t) => !NO_CONTENT_TYPES.has(t))) return { kind: 'attachment', text: content.text, attachments, storyId: null }
  if (content.text !== null) return { kind: 'text', text: content.text, attachments: null, storyId: null }
  // A mid with nothing Parley understands: shown as "unsupported" rather than lost.
  return { kind: 'unsupported', text: null, attachments: null, storyId: null }
}
