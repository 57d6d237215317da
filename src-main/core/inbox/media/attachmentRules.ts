// Which stored attachments the window may load through main. The thread view and the media route
// share these rules, so an address the window was given is one the route will serve, and a refused
// one (content profile, story, view-once) is never offered at all.
import { mimeAllowed } from '../../integrations/contentProfiles.ts'
import type { Attachment, Message } from '../../store/index.ts'

/** Media Instagram hands over as a file. Shares are links to posts; ephemeral (view-once) media is never shown. */
const LOADABLE_TYPES = new Set(['image', 'video', 'audio', 'file', 'ig_reel', 'reel'])

/** S8: the content profile does not allow this inbound type (an unknown type needs "all types"). */
export function attachmentBlocked(attachment: Pick<Attachment, 'mime'>, inbound: readonly string[]): boolean {
  return attachment.mime ? !mimeAllowed(attachment.mime, inbound) : !inbound.includes('*/*')
}

/** The attachment's upstream URL when the window may load it, else null. */
export function loadableAttachmentUrl(message: Message, index: number, inbound: readonly string[]): string | null {
  // A5: a story's media is shown only in the protected viewer, never through this route.
  if (message.withdrawnAt !== null || message.kind === 'story_mention') return null
  const attachment = message.attachments?.[index]
  // Only media Meta hosts: a reply's own file is held as a staged reference until Meta has it.
  if (!attachment?.url || !/^https?:\/\//i.test(attachment.url) || !LOADABLE_TYPES.has(attachment.type) || attachmentBlocked(attachment, inbound)) return null
  return attachment.url
}
