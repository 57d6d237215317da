import { z } from 'zod'

/** A MIME type or a wildcard over one (`image/*`) or all (`*\/*`) types. */
const MimePattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*\/\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/, 'Use a MIME type such as image/png, or a wildcard such as image/*.')

export const MAX_PROFILE_BYTES = 25 * 1024 * 1024

export const ContentProfile = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1, 'Give the profile a name.').max(80),
  inbound: z.array(MimePattern).max(50),
  outbound: z.array(MimePattern).max(50),
  /** Largest attachment, in bytes; Instagram's own limits still apply on top. */
  maxBytes: z.number().int().positive().max(MAX_PROFILE_BYTES, 'Instagram accepts at most 25 MB.'),
})
export type ContentProfile = z.infer<typeof ContentProfile>

export const DEFAULT_PROFILE_ID = 'default'

/** S8: all inbound media; outbound jpg/png/gif; 25 MB. It cannot be deleted or changed. */
export const DEFAULT_CONTENT_PROFILE: ContentProfile = Object.freeze({
  id: DEFAULT_PROFILE_ID,
  name: 'Default',
  inbound: ['*/*'],
  outbound: ['image/jpeg', 'image/png', 'image/gif'],
  maxBytes: MAX_PROFILE_BYTES,
}) as ContentProfile

export function mimeAllowed(mimeType: string, patterns: readonly string[]): boolean {
  const [type, subtype] = mimeType.trim().toLowerCase().split(';')[0]!.trim().split('/')
  if (!type || !subtype) return false
  return patterns.some((pattern) => {
    const [pType, pSubtype] = pattern.split('/')
    return (pType === '*' || pType === type) && (pSubtype === '*' || pSubtype === subtype)
  })
}
