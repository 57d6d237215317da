import { z } from 'zod'
import { ContentProfileFields, MAX_PROFILE_BYTES } from '../contract/integrations.ts'


export const ContentProfile = ContentProfileFields.extend({ id: z.string().min(1) })
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
