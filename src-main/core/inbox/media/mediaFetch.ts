// Fetches one piece of media from Meta's CDN in main and streams it on: only media types, a size
// cap, a timeout, never cached and never written anywhere. The upstream URL never leaves this file
// in any answer, header or log line.

export interface MediaFetchOptions {
  fetch?: typeof fetch
  /** Bytes; larger answers are refused (announced) or cut off (streamed). */
  maxBytes: number
  /** Until the CDN's answer starts. */
  timeoutMs?: number
  /** For the whole transfer, so a stalled stream does not hang forever. */
  transferTimeoutMs?: number
}

export const MEDIA_TIMEOUT_MS = 15_000
export const MEDIA_TRANSFER_TIMEOUT_MS = 120_000
/** Instagram's largest inbound media (audio/video, 25 MB). */
export const MEDIA_MAX_BYTES = 25 * 1024 * 1024

/** Images (not SVG: it can carry script), audio, video and PDF. */
export function servableType(contentType: string | null): string | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (/^(image|audio|video)\/[a-z0-9.+-]+$/.test(type) && type !== 'image/svg+xml') return type
  return type === 'application/pdf' ? type : null
}

/** What every answer of the media route carries: never stored, never sniffed, never a page that runs. */
export const MEDIA_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Referrer-Policy': 'no-referrer',
} as const

/** A refusal with plain words and a stable reason, for the window (it shows a placeholder) and tests. */
export function mediaRefusal(status: number, reason: string): Response {
  return new Response(`${reason}\n`, { status, headers: { ...MEDIA_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'X-Parley-Media': reason } })
}

/** 403/404/410 from the CDN: the media is gone (stories after 24 h, old attachments, changed pictures). */
export const isGoneStatus = (status: number) => status === 403 || status === 404 || status === 410

/** GET the media and stream it on with the checks above. Resolves to a Response in every case. */
export async function fetchMedia(url: string, options: MediaFetchOptions): Promise<Response> {
  if (!/^https?:\/\//i.test(url)) return mediaRefusal(404, 'unavailable')
  const transfer = new AbortController()
  const transferTimer = setTimeout(() => transfer.abort(), options.transferTimeoutMs ?? MEDIA_TRANSFER_TIMEOUT_MS)
  transferTimer.unref?.()
  const headersTimer = setTimeout(() => transfer.abort(), options.timeoutMs ?? MEDIA_TIMEOUT_MS)
  headersTimer.unref?.()
  const stop = () => {
    clearTimeout(transferTimer)
    clearTimeout(headersTimer)
  }
  let upstream: Response
  try {
    // No credentials, no referrer: the CDN URL is signed and needs nothing from Parley.
    upstream = await (options.fetch ?? globalThis.fetch)(url, { signal: transfer.signal, redirect: 'follow', credentials: 'omit', referrerPolicy: 'no-referrer' })
  } catch {
    stop()
    return transfer.signal.aborted ? mediaRefusal(504, 'timeout') : mediaRefusal(502, 'unreachable')
  }
  clearTimeout(headersTimer)
  const refuse = (status: number, reason: string) => {
    stop()
    void upstream.body?.cancel().catch(() => {})
    return mediaRefusal(status, reason)
  }
  if (isGoneStatus(upstream.status)) return refuse(410, 'expired')
  if (!upstream.ok || !upstream.body) return refuse(502, 'upstream_error')
  const type = servableType(upstream.headers.get('content-type'))
  if (!type) return refuse(415, 'unsupported_type')
  const announced = Number(upstream.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(announced) && announced > options.maxBytes) return refuse(413, 'too_large')

  let seen = 0
  const capped = upstream.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength
        if (seen > options.maxBytes) {
          stop()
          controller.error(new Error('media larger than allowed'))
          return
        }
        controller.enqueue(chunk)
      },
      flush: stop,
    }),
  )
  const headers: Record<string, string> = { ...MEDIA_HEADERS, 'Content-Type': type, 'Content-Disposition': type === 'application/pdf' ? 'attachment' : 'inline' }
  if (Number.isFinite(announced)) headers['Content-Length'] = String(announced)
  return new Response(capped, { status: 200, headers })
}

/**
 * Whether the media is still there, without taking its bytes (HEAD). `unknown` when the CDN does not
 * say (no HEAD support, network trouble): the viewer's own request finds out then.
 */
export async function probeMedia(url: string, options: Pick<MediaFetchOptions, 'fetch' | 'timeoutMs'> = {}): Promise<'available' | 'gone' | 'unknown'> {
  if (!/^https?:\/\//i.test(url)) return 'gone'
  try {
    const response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'HEAD', credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(options.timeoutMs ?? MEDIA_TIMEOUT_MS),
    })
    void response.body?.cancel().catch(() => {})
    if (isGoneStatus(response.status)) return 'gone'
    return response.ok ? 'available' : 'unknown'
  } catch {
    return 'unknown'
  }
}
