// I2: event subscriptions as supervisors manage them (Admin → Event subscriptions).
import type { Actor } from '../contract/context.ts'
import type { DeliveryView, EventType, SubscriptionView } from '../contract/api.ts'
import { ParleyError } from '../contract/errors.ts'
import { iso, isoOrNull } from '../contract/isoTime.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { Store, StoredSubscription } from '../store/index.ts'
import { newSigningSecret } from './credentials.ts'

export interface SubscriptionServiceDeps {
  store: Pick<Store, 'subscriptions'>
  secrets: Pick<ParleySecrets, 'subscriptionSecret'>
  now: () => number
  newId: () => string
  changed: () => void
}

const DELIVERIES_SHOWN = 100

export function subscriptionView(s: StoredSubscription): SubscriptionView {
  return { id: s.id, url: s.url, types: s.types, enabled: s.enabled, createdAt: iso(s.createdAt), consecutiveFailures: s.consecutiveFailures, disabledReason: s.disabledReason, pending: s.pending }
}

export function createSubscriptionService(deps: SubscriptionServiceDeps) {
  const found = (s: StoredSubscription | null) => {
    if (!s) throw new ParleyError('not_found', 'There is no such event subscription.')
    return s
  }
  return {
    async list() {
      return (await deps.store.subscriptions.list()).map(subscriptionView)
    },

    async create(actor: Actor, input: { url: string; types: EventType[] }) {
      const id = deps.newId()
      const secret = newSigningSecret()
      // The secret first: a subscription never exists without the key to sign for it.
      await deps.secrets.subscriptionSecret(id).set(secret)
      const subscription = await deps.store.subscriptions.create({ id, url: input.url, types: [...new Set(input.types)], createdBy: actor.personId, createdAt: deps.now() })
      deps.changed()
      return { subscription: subscriptionView(subscription), secret }
    },

    async setEnabled(id: string, enabled: boolean) {
      const subscription = found(await deps.store.subscriptions.setEnabled(id, enabled, deps.now()))
      deps.changed()
      return subscriptionView(subscription)
    },

    async delete(id: string) {
      if (!(await deps.store.subscriptions.delete(id))) throw new ParleyError('not_found', 'There is no such event subscription.')
      await deps.secrets.subscriptionSecret(id).delete()
      deps.changed()
    },

    async deliveries(id: string): Promise<DeliveryView[]> {
      found(await deps.store.subscriptions.get(id))
      return (await deps.store.subscriptions.deliveries(id, DELIVERIES_SHOWN)).map((d) => ({
        id: d.id,
        eventId: d.eventId,
        eventType: d.eventType,
        state: d.state,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        createdAt: iso(d.createdAt),
        nextAttemptAt: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
        finishedAt: isoOrNull(d.finishedAt),
      }))
    },
  }
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>
