// I2: delivers events at least once, from whichever node is alive. Each node claims due
// deliveries for a lease (longer than one attempt may take); a node that dies mid-attempt leaves
// its claims to the next after the lease. Failures retry with exponential backoff for 24 hours; a
// subscription that keeps failing is turned off and supervisors are told.
import type { Logger } from '../app/logger.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { ClaimedDelivery, Store } from '../store/index.ts'
import { signatureHeader } from './credentials.ts'
import { eventBody } from './eventPayload.ts'

export interface DeliverySettings {
  timeoutMs: number
  leaseMs: number
  firstRetryMs: number
  maxRetryMs: number
  giveUpAfterMs: number
  disableAfter: number
  pollMs: number
  batch: number
}

export const DELIVERY: DeliverySettings = {
  /** How long one attempt may take. */
  timeoutMs: 10_000,
  /** How long a claim keeps others off a delivery: longer than an attempt. */
  leaseMs: 15_000,
  firstRetryMs: 10_000,
  maxRetryMs: 60 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
  /** Failed attempts in a row after which a subscription is turned off. */
  disableAfter: 20,
  pollMs: 1_000,
  batch: 20,
}

export interface DeliveryWorkerDeps {
  store: Pick<Store, 'subscriptions'>
  secrets: Pick<ParleySecrets, 'subscriptionSecret'>
  now: () => number
  log: Logger
  userAgent: string
  /** A subscription was turned off for failing. */
  onDisabled: (subscriptionId: string) => void
  fetch?: typeof fetch
  random?: () => number
  settings?: Partial<DeliverySettings>
}

/** 10 s, 20 s, 40 s … up to an hour, ±20 % so that many receivers coming back are not hit at once. */
export function retryDelay(attempt: number, settings: Pick<DeliverySettings, 'firstRetryMs' | 'maxRetryMs'>, random: () => number): number {
  const base = Math.min(settings.firstRetryMs * 2 ** Math.max(0, attempt - 1), settings.maxRetryMs)
  return Math.round(base * (0.8 + 0.4 * random()))
}

export function startDeliveryWorker(deps: DeliveryWorkerDeps) {
  const settings = { ...DELIVERY, ...deps.settings }
  const send = deps.fetch ?? fetch
  const random = deps.random ?? Math.random
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> = Promise.resolve()
  let stopped = false

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(eventBody(delivery))
    let status: number | null = null
    let error: string
    try {
      const secret = await deps.secrets.subscriptionSecret(delivery.subscriptionId).get()
      if (!secret) throw new Error('the signing secret is missing')
      const response = await send(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': deps.userAgent,
          'parley-event-id': delivery.eventId,
          'parley-event-type': delivery.eventType,
          'parley-signature': signatureHeader(secret, body, deps.now()),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      })
      status = response.status
      await response.body?.cancel().catch(() => {})
      if (status >= 200 && status < 300) {
        await deps.store.subscriptions.finish(delivery.id, deps.now(), { delivered: true, status }, settings.disableAfter)
        return
      }
      error = `The receiver answered ${status}.`
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `No answer within ${settings.timeoutMs / 1000} s.` : `The receiver could not be reached (${(e as Error).message}).`
    }
    const now = deps.now()
    const next = now + retryDelay(delivery.attempts, settings, random)
    const retryAt = next - delivery.createdAt > settings.giveUpAfterMs ? null : next
    const { disabled } = await deps.store.subscriptions.finish(delivery.id, now, { delivered: false, status, error, retryAt }, settings.disableAfter)
    // The address may hold a token of the receiver's: it is not logged.
    deps.log.warn('event not delivered', { subscriptionId: delivery.subscriptionId, eventId: delivery.eventId, attempt: delivery.attempts, status, gaveUp: retryAt === null })
    if (disabled) {
      deps.log.warn('event subscription turned off after repeated failures', { subscriptionId: delivery.subscriptionId })
      deps.onDisabled(delivery.subscriptionId)
    }
  }

  async function pass(): Promise<void> {
    const due = await deps.store.subscriptions.claimDue(deps.now(), settings.leaseMs, settings.batch)
    await Promise.all(due.map((delivery) => attempt(delivery).catch((e: unknown) => deps.log.warn('an event delivery could not be recorded', { eventId: delivery.eventId, error: (e as Error).message }))))
    // A full batch: there may be more due at once.
    if (due.length === settings.batch && !stopped) await pass()
  }

  function schedule() {
    if (stopped) return
    timer = setTimeout(() => {
      running = pass()
        .catch((e: unknown) => deps.log.warn('event deliveries could not be claimed', { error: (e as Error).message }))
        .finally(schedule)
    }, settings.pollMs)
    timer.unref?.()
  }
  schedule()

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
