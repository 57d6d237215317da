// The Send API fetches attachment URLs like Meta does and checks Instagram's types and size caps:
// images png/jpeg/gif ≤ 8 MB; audio aac/m4a/wav/mp4, video mp4/ogg/avi/mov/webm and PDF files ≤ 25 MB.
import { GraphError } from './errors.ts'

const MB = 1024 * 1024

export const ATTACHMENT_RULES: Record<string, { types: string[]; maxBytes: number }> = {
  image: { types: ['image/png', 'image/jpeg', 'image/gif'], maxBytes: 8 * MB },
  audio: { types: ['audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'audio/wav', 'audio/x-wav', 'audio/wave'], maxBytes: 25 * MB },
  video: { types: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/avi', 'video/quicktime', 'video/webm'], maxBytes: 25 * MB },
  file: { types: ['application/pdf'], maxBytes: 25 * MB },
}

const fetchFailure = () => new GraphError({ message: '(#100) Failed to fetch the file from the url', code: 100, subcode: 2018008 })

export async function inspectAttachment(type: string, url: string): Promise<{ contentType: string; bytes: number }> {
  const rule = ATTACHMENT_RULES[type]
  if (!rule) throw new GraphError({ message: `(#100) Param message[attachment][type] must be one of {image, audio, video, file, like_heart} - got "${type}"`, code: 100 })
  if (!/^https?:\/\//.test(url)) throw new GraphError({ message: '(#100) Param message[attachment][payload][url] must be a valid URL', code: 100 })
  let response: Response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  } catch {
    throw fetchFailure()
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw fetchFailure()
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  let bytes = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isNaN(bytes)) {
    bytes = 0
    for await (const chunk of response.body) {
      bytes += (chunk as Uint8Array).byteLength
      if (bytes > rule.maxBytes) break
    }
  }
  await response.body.cancel().catch(() => undefined)
  if (!rule.types.includes(contentType)) throw new GraphError({ message: '(#100) Upload attachment failure.', code: 100, subcode: 2018047 })
  if (bytes > rule.maxBytes) throw new GraphError({ message: '(#100) Attachment size exceeds allowable limit', code: 100, subcode: 2018109 })
  return { contentType, bytes }
}
