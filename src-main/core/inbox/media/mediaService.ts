// The media route's core: a window's address (`avatar/…`, `attachment/…/…`) is resolved against the
// store to Meta's CDN URL and fetched in main. Both hosts serve this one function: the browser host
// at GET /media/…, the desktop on its parley-media:// scheme.
import type { Logger } from '../../app/logger.ts'
import type { Store } from '../../store/index.ts'
import { loadableAttachmentUrl } from './attachmentRules.ts'
import { fetchMedia, MEDIA_MAX_BYTES, mediaRefusal } from './mediaFetch.ts'
import { parseMediaPath, type MediaRef } from './mediaPaths.ts'

/** Profile pictures are small; anything much larger is not one. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024

export interface MediaServiceDeps {
  store: Pick<Store, 'conversations' | 'participants' | 'messages'>
  /** The inbound MIME patterns of the integration's content profile (S8). */
  inbound: (integrationId: string) => readonly string[]
  fetch?: typeof fetch
  log: Logger
  timeoutMs?: number
}

export function createMediaService(deps: MediaServiceDeps) {
  async function upstreamOf(ref: MediaRef): Promise<{ url: string; maxBytes: number } | { refused: 'not_found' | 'refused' }> {
    if (ref.kind === 'avatar') {
      const conversation = await deps.store.conversations.get(ref.conversationId)
      const participant = conversation ? await deps.store.participants.get(conversation.igAccountId, conversation.customerIgsid) : null
      return participant?.profilePicUrl ? { url: participant.profilePicUrl, maxBytes: AVATAR_MAX_BYTES } : { refused: 'not_found' }
    }
    const message = await deps.store.messages.get(ref.mid)
    if (!message?.attachments?.[ref.index]) return { refused: 'not_found' }
    const conversation = await deps.store.conversations.get(message.conversationId)
    if (!conversation) return { refused: 'not_found' }
    const url = loadableAttachmentUrl(message, ref.index, deps.inbound(conversation.integrationId))
    return url ? { url, maxBytes: MEDIA_MAX_BYTES } : { refused: 'refused' }
  }

  return {
    /** Answers a window's media address (the part after the prefix) with the bytes, or a clean refusal. */
    async serve(path: string): Promise<Response> {
      const ref = parseMediaPath(path)
      if (!ref) return mediaRefusal(404, 'not_found')
      const upstream = await upstreamOf(ref)
      if ('refused' in upstream) {
        // Blocked by the content profile, a story, view-once media, a withdrawn message.
        return upstream.refused === 'refused' ? mediaRefusal(403, 'refused') : mediaRefusal(404, 'not_found')
      }
      const response = await fetchMedia(upstream.url, { fetch: deps.fetch, maxBytes: upstream.maxBytes, timeoutMs: deps.timeoutMs })
      if (!response.ok && response.status !== 410) deps.log.warn('media could not be fetched from Meta', { kind: ref.kind, status: response.status })
      return response
    },
  }
}

export type MediaService = ReturnType<typeof createMediaService>
