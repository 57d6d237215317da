// The rules main applies to the public webhook address (core/contract/integrations.ts), checked here
// to say in the window's language which one the address breaks.

const CALLBACK_PATH = '/webhooks/instagram'

export type WebhookAddressError = 'format' | 'https' | 'path'

export function webhookAddressError(value: string): WebhookAddressError | null {
  const text = value.trim()
  if (text === '') return null
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'format'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'format'
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return 'https'
  const path = url.pathname.replace(/\/+$/, '')
  if (url.username || url.password || url.search || url.hash || (path !== '' && path !== CALLBACK_PATH)) return 'path'
  return null
}
