// Instagram's own limits on what a business may send (meta-platform.md §6), whatever a content
// profile allows. The sandbox enforces the same table, so a reply preflight passes is one Meta takes.

export const TEXT_LIMIT_BYTES = 1000

const MB = 1024 * 1024

export type OutboundAttachmentType = 'image' | 'video' | 'audio' | 'file'

export const ATTACHMENT_LIMITS: Record<OutboundAttachmentType, { label: string; mimeTypes: readonly string[]; maxBytes: number }> = {
  image: { label: 'images', mimeTypes: ['image/png', 'image/jpeg', 'image/gif'], maxBytes: 8 * MB },
  audio: { label: 'audio', mimeTypes: ['audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'audio/wav', 'audio/x-wav', 'audio/wave'], maxBytes: 25 * MB },
  video: { label: 'video', mimeTypes: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/avi', 'video/quicktime', 'video/webm'], maxBytes: 25 * MB },
  file: { label: 'files (PDF)', mimeTypes: ['application/pdf'], maxBytes: 25 * MB },
}

export const isOutboundAttachmentType = (type: string): type is OutboundAttachmentType => Object.hasOwn(ATTACHMENT_LIMITS, type)

/** `image/JPEG; charset=x` → `image/jpeg`. */
export const bareMime = (mimeType: string) => mimeType.split(';')[0]!.trim().toLowerCase()

/** 8388608 → "8 MB", 1536 → "1.5 KB": sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${+(bytes / MB).toFixed(1)} MB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`
  return `${bytes} bytes`
}
