// A2, X3, X4: Meta's webhook endpoint as two pure handlers (no HTTP server here, so the checks are
// tested directly and any host can serve them). Unsigned, wrongly signed, oversized or malformed
// requests are refused with a clear error and logged without their content. A signed body is then
// checked against Meta's envelope (webhookEnvelope.ts): only the parts that match reach ingest.
import type { Logger } from '../../app/logger.ts'
import { checkSignature, sameSecret, SIGNATURE_HEADER } from './signature.ts'
import { checkWebhookEnvelope, MAX_LISTED_REFUSALS, type Refusal } from './webhookEnvelope.ts'

export interface WebhookAnswer {
  status: number
  body: string
  /** text/plain unless said otherwise. */
  contentType?: string
}

/** An `object: "instagram"` payload holding only entries and events that match Meta's envelope. */
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
  /** Names each refused part and what was wrong with it (types and places only, never values). */
  const refuseEnvelope = (status: 200 | 400, refused: Refusal[], accepted: number, bytes: number): WebhookAnswer => {
    const listed = refused.slice(0, MAX_LISTED_REFUSALS)
    const message = status === 400
      ? 'The payload does not match Meta’s webhook envelope; nothing was stored.'
      : 'Some events do not match Meta’s webhook envelope and were refused; the other events were stored.'
    log.warn(status === 400 ? 'webhook refused: the payload does not match Meta’s envelope' : 'webhook events refused: they do not match Meta’s envelope', {
      status, bytes, accepted, refusedCount: refused.length, refused: listed.map((r) => `${r.at}: ${r.reason}`),
    })
    const body = { message, accepted, refusedCount: refused.length, refused: listed }
    return { status, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' }
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
      const checked = checkWebhookEnvelope(payload)
      if (!checked.ok || (checked.refused.length > 0 && checked.accepted === 0)) {
        return refuseEnvelope(400, checked.refused, 0, bytes)
      }

      try {
        await options.onPayload(checked.payload)
      } catch (error) {
        // Not stored: a non-2xx answer makes Meta deliver it again, so nothing is lost.
        log.error('webhook payload could not be stored; Meta will deliver it again', { bytes, error: (error as Error)?.name ?? 'unknown' })
        return { status: 500, body: 'The payload could not be stored; deliver it again.' }
      }
      if (checked.refused.length === 0) return { status: 200, body: 'EVENT_RECEIVED' }
      // Part of the payload was refused, the rest is stored. The answer is 200 on purpose: Meta
      // delivers any non-2xx answer again, for hours, with the same bytes — the refused events
      // would be refused again every time (nothing about them can change), and the stored ones
      // would be applied again. Messages are stored once by mid and unsends are remembered, so
      // repeats of those are harmless, but a reaction is applied as it arrives: an old reaction
      // delivered again after the customer changed or removed it would bring it back. So the
      // refusal is said in the answer's body and in the log, and Meta is not asked to retry. A body
      // that matches nowhere (nothing taken) is answered 400, as are bodies that are not an
      // Instagram payload at all.
      return refuseEnvelope(200, checked.refused, checked.accepted, bytes)
    },
  }
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>
