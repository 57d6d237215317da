// I2: event subscriptions and their deliveries — one implementation for both engines. Deliveries
// are made by routing steps themselves (routingRepository's `record`); here any node claims the
// due ones (SKIP LOCKED on PostgreSQL) for one attempt each and records how it went.
import type { ClaimedDelivery, StoredDelivery, StoredSubscription } from '../apiSchemas.ts'
import { isEventType } from '../apiSchemas.ts'
import type { SubscriptionRepository } from '../repositories.ts'
import { toEvent, type EventRow } from '../routing/routingRepository.ts'
import { all, numberOrNull, one, run, type Unit, type UnitRunner } from '../routing/steps.ts'

interface SubscriptionRow {
  id: string
  url: string
  created_by: string | null
  created_at: number
  enabled: number
  consecutive_failures: number
  disabled_at: number | null
  disabled_reason: string | null
  pending: number
}

interface DeliveryRow {
  id: number
  subscription_id: string
  event_id: string
  event_type: string
  routing_event_id: number
  state: StoredDelivery['state']
  attempts: number
  created_at: number
  next_attempt_at: number
  last_status: number | null
  last_error: string | null
  finished_at: number | null
}

const SUBSCRIPTION = `SELECT s.id, s.url, s.created_by, s.created_at, s.enabled, s.consecutive_failures, s.disabled_at, s.disabled_reason,
  (SELECT count(*) FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending
  FROM event_subscriptions s`

function* readSubscription(id: string): Unit<StoredSubscription | null> {
  const row = yield* one<SubscriptionRow>(`${SUBSCRIPTION} WHERE s.id = ?`, [id])
  return row ? (yield* withTypes([row]))[0]! : null
}

function* withTypes(rows: SubscriptionRow[]): Unit<StoredSubscription[]> {
  const types = yield* all<{ subscription_id: string; type: string }>('SELECT subscription_id, type FROM event_subscription_types ORDER BY type')
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    types: types.filter((t) => t.subscription_id === r.id).map((t) => t.type).filter(isEventType),
    enabled: Number(r.enabled) === 1,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    consecutiveFailures: Number(r.consecutive_failures),
    disabledAt: numberOrNull(r.disabled_at),
    disabledReason: r.disabled_reason,
    pending: Number(r.pending),
  }))
}

const toDelivery = (r: DeliveryRow): StoredDelivery => ({
  id: String(r.id),
  subscriptionId: r.subscription_id,
  eventId: r.event_id,
  eventType: isEventType(r.event_type) ? r.event_type : 'conversation.routed',
  state: r.state,
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  nextAttemptAt: Number(r.next_attempt_at),
  lastStatus: numberOrNull(r.last_status),
  lastError: r.last_error,
  finishedAt: numberOrNull(r.finished_at),
})

export function createSubscriptionRepository(runner: UnitRunner): SubscriptionRepository {
  return {
    async create(subscription) {
      return runner.run(function* () {
        yield* run('INSERT INTO event_subscriptions (id, url, created_by, created_at) VALUES (?, ?, ?, ?)', [subscription.id, subscription.url, subscription.createdBy, subscription.createdAt])
        for (const type of new Set(subscription.types)) yield* run('INSERT INTO event_subscription_types (subscription_id, type) VALUES (?, ?)', [subscription.id, type])
        return (yield* readSubscription(subscription.id))!
      })
    },

    async list() {
      return runner.run(function* () {
        return yield* withTypes(yield* all<SubscriptionRow>(`${SUBSCRIPTION} ORDER BY s.created_at, s.id`))
      })
    },

    async get(id) {
      return runner.run(() => readSubscription(id))
    },

    async setEnabled(id, enabled, at, reason = null) {
      return runner.run(function* () {
        yield* run(
          enabled
            ? 'UPDATE event_subscriptions SET enabled = 1, consecutive_failures = 0, disabled_at = NULL, disabled_reason = NULL WHERE id = ?'
            : 'UPDATE event_subscriptions SET enabled = 0, disabled_at = ?, disabled_reason = ? WHERE id = ?',
          enabled ? [id] : [at, reason, id],
        )
        return yield* readSubscription(id)
      })
    },

    async delete(id) {
      return runner.run(function* () {
        yield* run('DELETE FROM event_deliveries WHERE subscription_id = ?', [id])
        yield* run('DELETE FROM event_subscription_types WHERE subscription_id = ?', [id])
        return (yield* run('DELETE FROM event_subscriptions WHERE id = ?', [id])) > 0
      })
    },

    async deliveries(subscriptionId, limit) {
      return runner.run(function* () {
        return (yield* all<DeliveryRow>('SELECT * FROM event_deliveries WHERE subscription_id = ? ORDER BY id DESC LIMIT ?', [subscriptionId, limit])).map(toDelivery)
      })
    },

    async claimDue(at, lockMs, limit) {
      return runner.run(function* () {
        // A claim is a lease: a node that dies mid-attempt leaves the row to whoever comes after `locked_until`.
        const due = yield* all<DeliveryRow>(
          // Only the delivery rows are locked (a join would lock the subscription too, and hold off every other claimer).
          `SELECT d.* FROM event_deliveries d
           WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)
             AND EXISTS (SELECT 1 FROM event_subscriptions s WHERE s.id = d.subscription_id AND s.enabled = 1)
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
          [at, at, limit],
          'skip locked',
        )
        if (!due.length) return []
        const ids = due.map((row) => Number(row.id))
        const marks = ids.map(() => '?').join(', ')
        yield* run(`UPDATE event_deliveries SET locked_until = ?, attempts = attempts + 1 WHERE id IN (${marks})`, [at + lockMs, ...ids])
        // What each delivery tells, read once for all of them.
        const details = yield* all<EventRow & { delivery_id: number; url: string; integration_id: string; customer_igsid: string; username: string | null }>(
          `SELECT d.id AS delivery_id, s.url, e.*, c.integration_id, c.customer_igsid, p.username
           FROM event_deliveries d
           JOIN event_subscriptions s ON s.id = d.subscription_id
           JOIN routing_events e ON e.id = d.routing_event_id
           JOIN conversations c ON c.id = e.conversation_id
           LEFT JOIN participants p ON p.ig_account_id = c.ig_account_id AND p.igsid = c.customer_igsid
           WHERE d.id IN (${marks})`,
          ids,
        )
        const byId = new Map(details.map((d) => [Number(d.delivery_id), d]))
        const claimed: ClaimedDelivery[] = []
        for (const row of due) {
          const detail = byId.get(Number(row.id))
          if (!detail) continue
          claimed.push({
            ...toDelivery({ ...row, attempts: Number(row.attempts) + 1 }),
            url: detail.url,
            event: toEvent(detail),
            conversation: { id: detail.conversation_id, integrationId: detail.integration_id, customerIgsid: detail.customer_igsid, customerUsername: detail.username },
          })
        }
        return claimed
      })
    },

    async finish(deliveryId, at, outcome, disableAfter) {
      return runner.run(function* () {
        const row = yield* one<{ subscription_id: string }>('SELECT subscription_id FROM event_deliveries WHERE id = ?', [Number(deliveryId)], 'update')
        if (!row) return { disabled: false }
        if (outcome.delivered) {
          yield* run("UPDATE event_deliveries SET state = 'delivered', locked_until = NULL, last_status = ?, last_error = NULL, finished_at = ? WHERE id = ?", [outcome.status, at, Number(deliveryId)])
          yield* run('UPDATE event_subscriptions SET consecutive_failures = 0 WHERE id = ?', [row.subscription_id])
          return { disabled: false }
        }
        yield* run(
          outcome.retryAt === null
            ? "UPDATE event_deliveries SET state = 'failed', locked_until = NULL, last_status = ?, last_error = ?, finished_at = ? WHERE id = ?"
            : 'UPDATE event_deliveries SET locked_until = NULL, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?',
          [outcome.status, outcome.error.slice(0, 500), outcome.retryAt ?? at, Number(deliveryId)],
        )
        const subscription = yield* one<{ consecutive_failures: number; enabled: number }>('SELECT consecutive_failures, enabled FROM event_subscriptions WHERE id = ?', [row.subscription_id], 'update')
        const failures = Number(subscription?.consecutive_failures ?? 0) + 1
        const disable = Number(subscription?.enabled) === 1 && (failures >= disableAfter || outcome.retryAt === null)
        if (disable) {
          yield* run("UPDATE event_subscriptions SET consecutive_failures = ?, enabled = 0, disabled_at = ?, disabled_reason = 'failures' WHERE id = ?", [failures, at, row.subscription_id])
        } else {
          yield* run('UPDATE event_subscriptions SET consecutive_failures = ? WHERE id = ?', [failures, row.subscription_id])
        }
        return { disabled: disable }
      })
    },
  }
}
