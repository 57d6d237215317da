// A2, X3, X4: Meta's webhook endpoint as two pure handlers (no HTTP server here, so the checks are
// tested directly and any host can serve them). Unsigned, wrongly signed, oversized or malformed
// requests are refused with a clear error and logged without their content.
import type { Logger } from '../../app/logger.ts'
import { checkSignature, sameSecret, SIGNATURE_HEADER } from './signature.ts'

export interface WebhookAnswer {
  status: number
  body: string
}

/** A valid `object: "instagram"` payload; its events are checked one by one later, by ingest. */
export interface WebhookPayload {
  object: 'instagram'
  entry: unknown[]
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>
export type QuerySource = URLSearchParams | Record<string, string | undefined>

export interface WebhookReceiverOptions {
  /** Read per request (from the keychain), never kept. */
  appSecret: () => Promise<string | null>
  /** The token Parley gave Meta when subscribing; Meta echoes it in the verification request. */
  verifyToken: string
  /** Stores the payload. Awaited: a payload is acknowledged only once it is safely stored. */
  onPayload: (payload: WebhookPayload) => Promise<unknown> | unknown
  log: Logger
  maxBodyBytes?: number
}

/** Meta batches events; a megabyte holds hundreds of them, and nothing legitimate comes near it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

const SIGNATURE_PROBLEMS = {
  missing: 'X-Hub-Signature-256 is missing: only Meta’s signed webhooks are accepted.',
  malformed: 'X-Hub-Signature-256 is not of the form sha256=<64 hex digits>.',
  mismatch: 'X-Hub-Signature-256 does not match the body: it was not signed with this app’s secret, or the body was altered.',
} as const

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return Array.isArray(value) ? value[0] : value
}

function param(query: QuerySource, name: string): string | undefined {
  return query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name]
}

export function createWebhookReceiver(options: WebhookReceiverOptions) {
  if (options.verifyToken.length < 8) throw new TypeError('The webhook verify token must be at least 8 characters long')
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const { log } = options
  const refuse = (status: number, body: string, fields: Record<string, unknown>): WebhookAnswer => {
    log.warn(`webhook refused: ${body}`, { status, ...fields })
    return { status, body }
  }

  return {
    maxBodyBytes,

    /** Meta's subscription check: answer hub.challenge only to the verify token we gave it. */
    verify(query: QuerySource): WebhookAnswer {
      const mode = param(query, 'hub.mode')
      const token = param(query, 'hub.verify_token')
      const challenge = param(query, 'hub.challenge')
      if (mode !== 'subscribe') return refuse(403, 'hub.mode must be "subscribe".', {})
      if (token === undefined || !sameSecret(token, options.verifyToken)) return refuse(403, 'hub.verify_token does not match.', {})
      if (challenge === undefined || challenge === '') return refuse(400, 'hub.challenge is missing.', {})
      log.info('webhook subscription verified')
      return { status: 200, body: challenge }
    },

    /** One POST from Meta: `rawBody` exactly as received (the signature covers these bytes). */
    async receive(rawBody: Buffer, headers: HeaderSource): Promise<WebhookAnswer> {
      const bytes = rawBody.length
      if (bytes > maxBodyBytes) return refuse(413, `The body is larger than ${maxBodyBytes} bytes.`, { bytes })
      const secret = await options.appSecret()
      if (!secret) {
        // Our problem, not the sender's: 503 makes Meta retry once the secret is readable again.
        log.error('webhook not accepted: the app secret is not available to check its signature', { bytes })
        return { status: 503, body: 'The app secret is not available to check the signature; try again later.' }
      }
      const verdict = checkSignature(rawBody, header(headers, SIGNATURE_HEADER), secret)
      if (verdict !== 'valid') return refuse(403, SIGNATURE_PROBLEMS[verdict], { bytes, signature: verdict })

      let payload: unknown
      try {
        payload = JSON.parse(rawBody.toString('utf8'))
      } catch {
        return refuse(400, 'The body is not JSON.', { bytes })
      }
      if (typeof payload !== 'object' || payload === null || (payload as { object?: unknown }).object !== 'instagram') {
        return refuse(400, 'The payload’s "object" must be "instagram".', { bytes })
      }
      if (!Array.isArray((payload as { entry?: unknown }).entry)) return refuse(400, 'The payload has no "entry" list.', { bytes })

      try {
        await options.onPayload(payload as WebhookPayload)
      } catch (error) {
        // Not stored: a non-2xx answer makes Meta deliver it again, so nothing is lost.
        log.error('webhook payload could not be stored; Meta will deliver it again', { bytes, error: (error as Error)?.name ?? 'unknown' })
        return { status: 500, body: 'The payload could not be stored; deliver it again.' }
      }
      return { status: 200, body: 'EVENT_RECEIVED' }
    },
  }
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>
