// The rules for live mode's public webhook address. Main's schema checks them where the address
// enters main; the Meta app section names the broken one in the window's language. No zod here, so
// the window can import it.

/** Where Parley's webhook receiver answers under the public address (Meta's "Callback URL"). */
export const WEBHOOK_CALLBACK_PATH = '/webhooks/instagram'

export type WebhookAddressProblem = 'format' | 'https' | 'path'

/**
 * Why a public webhook address is not acceptable, or null. Meta calls webhooks over HTTPS only;
 * plain http is let through for this machine (a tunnel's inside, tests). Only the address itself:
 * the receiver's own path may be pasted along and is taken off.
 */
export function webhookAddressProblem(value: string): WebhookAddressProblem | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'format'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'format'
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return 'https'
  const path = url.pathname.replace(/\/+$/, '')
  if (url.username || url.password || url.search || url.hash || (path !== '' && path !== WEBHOOK_CALLBACK_PATH)) return 'path'
  return null
}
