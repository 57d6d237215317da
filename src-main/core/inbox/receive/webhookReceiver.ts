import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Logger } from '../../app/logger.ts'

export interface WebhookAnswer {
  status: number
  body: string
}

export interface WebhookReceiverOptions {
  appSecret: () => Promise<string | null>
  verifyToken: string
  onPayload: (payload: unknown) => Promise<void> | void
  log: Logger
  maxBodyBytes?: number
}

/** X-Hub-Signature-256 is HMAC-SHA256 of the raw bytes with the app secret: never re-serialised JSON. */
export function signatureMatches(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false
  const given = Buffer.from(header.slice('sha256='.length), 'hex')
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * A2, X3, X4: Meta's webhook endpoint as two pure handlers. Unsigned, wrongly signed, oversized or
 * malformed requests are refused with a clear error and logged without their content.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  return {
    /** Meta's subscription check: echo hub.challenge when the verify token is ours. */
    verify(query: URLSearchParams): WebhookAnswer {
      if (query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === options.verifyToken) {
        return { status: 200, body: query.get('hub.challenge') ?? '' }
      }
      options.log.warn('webhook verification refused: wrong verify token')
      return { status: 403, body: 'verify token does not match' }
    },

    async receive(rawBody: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
      if (rawBody.length > maxBodyBytes) {
        options.log.warn('webhook refused: body too large', { bytes: rawBody.length })
        return { status: 413, body: 'payload too large' }
      }
      const secret = await options.appSecret()
      if (!secret || !signatureMatches(rawBody, signature, secret)) {
        options.log.warn('webhook refused: missing or wrong X-Hub-Signature-256', { bytes: rawBody.length })
        return { status: 403, body: 'signature does not match' }
      }
      let payload: unknown
      try {
        payload = JSON.parse(rawBody.toString('utf8'))
      } catch {
        options.log.warn('webhook refused: body is not JSON', { bytes: rawBody.length })
        return { status: 400, body: 'body is not JSON' }
      }
      if ((payload as { object?: unknown })?.object !== 'instagram') {
        options.log.warn('webhook refused: not an instagram object')
        return { status: 400, body: 'object must be "instagram"' }
      }
      await options.onPayload(payload)
      return { status: 200, body: 'EVENT_RECEIVED' }
    },
  }
}
export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>
