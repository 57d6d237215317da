// A4: a reply Instagram or the content profile would refuse is refused here, before anything is
// queued or sent, with every reason at once (an agent should not fix one thing to meet the next).
import type { Problem } from '../../contract/integrations.ts'
import { mimeAllowed, type ContentProfile } from '../../integrations/contentProfiles.ts'
import { ATTACHMENT_LIMITS, bareMime, formatBytes, isOutboundAttachmentType, TEXT_LIMIT_BYTES } from './instagramLimits.ts'

export type PreflightCode =
  | 'empty_message'
  | 'text_and_attachment'
  | 'text_too_long'
  | 'attachment_not_in_profile'
  | 'attachment_over_profile_size'
  | 'attachment_not_supported'
  | 'attachment_over_instagram_size'

export type PreflightProblem = Problem & { code: PreflightCode; params: Record<string, string> }

export interface PreflightInput {
  text?: string | null | undefined
  attachment?: { mimeType: string; sizeBytes: number; type: string } | null | undefined
}

const problem = (code: PreflightCode, message: string, remedy: string | null, params: Record<string, string> = {}): PreflightProblem =>
  ({ code, message, remedy, params })

/** Every reason this reply cannot go out under `profile` and Instagram's limits; empty when it can. */
export function preflight(input: PreflightInput, profile: Pick<ContentProfile, 'name' | 'outbound' | 'maxBytes'>): PreflightProblem[] {
  const problems: PreflightProblem[] = []
  const text = input.text ?? null
  const attachment = input.attachment ?? null
  const hasText = text !== null && text.trim() !== ''

  if (!hasText && attachment === null) {
    problems.push(problem('empty_message', 'The reply is empty.', 'Write a reply or attach a file.'))
  }
  if (text !== null && text !== '' && attachment !== null) {
    problems.push(problem('text_and_attachment', 'Instagram takes a text or one attachment per message, not both.', 'Send the text and the attachment as two replies.'))
  }
  if (text !== null) {
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes > TEXT_LIMIT_BYTES) {
      const over = bytes - TEXT_LIMIT_BYTES
      problems.push(problem(
        'text_too_long',
        `The reply is ${bytes} bytes long; Instagram accepts at most ${TEXT_LIMIT_BYTES} (${over} too many). Emoji and accented letters take several bytes each.`,
        `Shorten it by ${over} ${over === 1 ? 'byte' : 'bytes'}, or send it as two replies.`,
        { bytes: String(bytes), limit: String(TEXT_LIMIT_BYTES), over: String(over) },
      ))
    }
  }
  if (attachment !== null) problems.push(...attachmentProblems(attachment, profile))
  return problems
}

function attachmentProblems(
  attachment: NonNullable<PreflightInput['attachment']>,
  profile: Pick<ContentProfile, 'name' | 'outbound' | 'maxBytes'>,
): PreflightProblem[] {
  const problems: PreflightProblem[] = []
  const mime = bareMime(attachment.mimeType)
  const size = attachment.sizeBytes
  const params = { mimeType: mime, size: formatBytes(size), type: attachment.type }

  if (!mimeAllowed(mime, profile.outbound)) {
    problems.push(problem(
      'attachment_not_in_profile',
      `The content profile "${profile.name}" does not allow sending ${mime} files.`,
      'Send an allowed type, or ask a supervisor to change the content profile (Supported content).',
      { ...params, profile: profile.name },
    ))
  }
  if (size > profile.maxBytes) {
    problems.push(problem(
      'attachment_over_profile_size',
      `The attachment is ${formatBytes(size)}; the content profile "${profile.name}" allows at most ${formatBytes(profile.maxBytes)}.`,
      'Send a smaller file.',
      { ...params, profile: profile.name, limit: formatBytes(profile.maxBytes) },
    ))
  }

  const rule = isOutboundAttachmentType(attachment.type) ? ATTACHMENT_LIMITS[attachment.type] : undefined
  if (!rule || !rule.mimeTypes.includes(mime)) {
    problems.push(problem(
      'attachment_not_supported',
      rule
        ? `Instagram does not accept ${mime} as ${rule.label}; it takes ${rule.mimeTypes.join(', ')}.`
        : `Instagram does not accept ${attachment.type} attachments; it takes images, audio, video and PDF files.`,
      'Send images as PNG, JPEG or GIF, video as MP4, documents as PDF.',
      params,
    ))
  }
  if (rule && size > rule.maxBytes) {
    problems.push(problem(
      'attachment_over_instagram_size',
      `The attachment is ${formatBytes(size)}; Instagram accepts ${rule.label} up to ${formatBytes(rule.maxBytes)}.`,
      'Send a smaller file.',
      { ...params, limit: formatBytes(rule.maxBytes) },
    ))
  }
  return problems
}
