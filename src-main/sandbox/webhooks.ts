// Webhook delivery, as Meta does it: object "instagram" events POSTed to the app's verified callback,
// signed with X-Hub-Signature-256 over the exact bytes sent, retried with exponential backoff while the
// receiver fails, in order per callback URL.
import { createHmac } from 'node:crypto'
import type { Faults } from './faults.ts'
import type { SandboxState } from './state.ts'

export interface RetryPolicy {
  baseMs: number
  maxAttempts: number
}

export interface DeliveryAttempt {
  at: string
  status?: number
  error?: string
}

export interface WebhookDelivery {
  id: number
  callbackUrl: string
  field: string
  body: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: DeliveryAttempt[]
}

/**
 * Meta serialises with escaped slashes and \uXXXX for non-ASCII characters and signs those bytes;
 * receivers must therefore hash the raw body, never a re-serialisation.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'))
}

export function signature(body: string, appSecret: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')
}

export class WebhookDispatcher {
  private readonly deliveries: WebhookDelivery[] = []
  private readonly queues = new Map<string, WebhookDelivery[]>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly appSecret: () => string
  private readonly faults: Faults | undefined
  private stopped = false
  private nextId = 1
  retry: RetryPolicy

  constructor(appSecret: () => string, retry: RetryPolicy, faults?: Faults) {
    this.appSecret = appSecret
    this.retry = retry
    this.faults = faults
  }

  enqueue(callbackUrl: string, field: string, payload: unknown): WebhookDelivery {
    const delivery: WebhookDelivery = { id: this.nextId++, callbackUrl, field, body: metaJson(payload), state: 'pending', attempts: [] }
    this.deliveries.push(delivery)
    const queue = this.queues.get(callbackUrl)
    if (queue) {
      queue.push(delivery)
    } else {
      this.queues.set(callbackUrl, [delivery])
      void this.drain(callbackUrl)
    }
    return delivery
  }

  list(): WebhookDelivery[] {
    return this.deliveries
  }

  private async drain(callbackUrl: string): Promise<void> {
    const queue = this.queues.get(callbackUrl)
    while (queue && queue.length > 0 && !this.stopped) {
      const delivery = queue[0] as WebhookDelivery
      const ok = await this.attempt(delivery)
      if (ok || delivery.attempts.length >= this.retry.maxAttempts) {
        delivery.state = ok ? 'delivered' : 'failed'
        queue.shift()
      } else {
        await this.sleep(this.retry.baseMs * 2 ** (delivery.attempts.length - 1))
      }
    }
    this.queues.delete(callbackUrl)
  }

  private async attempt(delivery: WebhookDelivery): Promise<boolean> {
    const at = new Date().toISOString()
    // Injected webhook faults: the delivery never arrives (drop), or arrives but its answer is lost
    // (dropAnswer), so Meta — and the sandbox — deliver it again.
    const fault = this.faults?.match('POST', new URL(delivery.callbackUrl).pathname, 'webhooks')
    if (fault?.delayMs) await this.sleep(fault.delayMs)
    if (fault?.action.kind === 'drop') {
      delivery.attempts.push({ at, error: 'connection dropped (injected fault)' })
      return false
    }
    try {
      const response = await fetch(delivery.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          'x-hub-signature-256': signature(delivery.body, this.appSecret()),
          'x-hub-signature': 'sha1=' + createHmac('sha1', this.appSecret()).update(delivery.body, 'utf8').digest('hex'),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(10_000),
      })
      await response.body?.cancel()
      if (fault?.action.kind === 'dropAnswer') {
        delivery.attempts.push({ at, error: `answer lost (injected fault; the app answered ${response.status})` })
        return false
      }
      delivery.attempts.push({ at, status: response.status })
      return response.ok
    } catch (error) {
      delivery.attempts.push({ at, error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) })
      return false
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  clear(): void {
    for (const queue of this.queues.values()) queue.length = 0
    this.deliveries.length = 0
  }
}

/**
 * Sends an event for an Instagram account when Meta would: the app has a verified `instagram`
 * subscription including `field`, and the account's page has the app in its subscribed_apps.
 * Returns the delivery, or undefined when nothing is sent.
 */
export function notify(state: SandboxState, dispatcher: WebhookDispatcher, igId: string, field: string, event: Record<string, unknown>, timeMs: number): WebhookDelivery | undefined {
  const subscription = state.appSubscription
  const account = state.igAccounts.get(igId)
  if (!subscription || subscription.object !== 'instagram' || !subscription.fields.includes(field) || !account) return undefined
  if (!state.pageSubscriptions.has(account.pageId)) return undefined
  const payload = { object: 'instagram', entry: [{ id: igId, time: timeMs, messaging: [event] }] }
  return dispatcher.enqueue(subscription.callbackUrl, field, payload)
}
