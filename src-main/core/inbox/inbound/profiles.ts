// A1: the customer's name, username and picture from the User Profile API, cached in the store and
// asked for at most once per customer per day. A refusal (consent not yet given, 230) or an outage
// keeps whatever was cached; profile_pic URLs expire after days, hence the daily refresh.
import type { Logger } from '../../app/logger.ts'
import { isGraphError, type GraphClient } from '../../graph/index.ts'
import type { Store } from '../../store/index.ts'

export const PROFILE_MAX_AGE_MS = 24 * 60 * 60 * 1000
/** After an outage or throttling the next attempt may come sooner than a day. */
export const PROFILE_RETRY_AFTER_TRANSIENT_MS = 10 * 60 * 1000

export type ProfileGraph = Pick<GraphClient, 'userProfile'>

export interface ProfileRefresherDeps {
  store: Pick<Store, 'participants'>
  graph: () => ProfileGraph | null
  pageToken: (integrationId: string) => Promise<string | null>
  log: Logger
  now: () => number
}

export interface Customer {
  integrationId: string
  igAccountId: string
  igsid: string
}

export type ProfileOutcome = 'fetched' | 'fresh' | 'unavailable' | 'failed'

export function createProfileRefresher(deps: ProfileRefresherDeps) {
  // Attempts this run, including failed ones: a customer refusing consent is not asked per message.
  const nextAttemptAt = new Map<string, number>()
  const inFlight = new Map<string, Promise<ProfileOutcome>>()

  async function fetchOne(customer: Customer, key: string): Promise<ProfileOutcome> {
    const now = deps.now()
    if ((nextAttemptAt.get(key) ?? 0) > now) return 'fresh'
    // Without Graph nothing can be fetched: no need to read the cache either.
    const graph = deps.graph()
    if (!graph) return 'unavailable'
    const known = await deps.store.participants.get(customer.igAccountId, customer.igsid)
    if (known && now - known.fetchedAt < PROFILE_MAX_AGE_MS) {
      // Fresh until then: the customer's next messages need not read the store again.
      nextAttemptAt.set(key, known.fetchedAt + PROFILE_MAX_AGE_MS)
      return 'fresh'
    }
    const token = await deps.pageToken(customer.integrationId)
    if (!token) return 'unavailable'
    nextAttemptAt.set(key, now + PROFILE_MAX_AGE_MS)
    try {
      const profile = await graph.userProfile(customer.igsid, token)
      await deps.store.participants.upsert({
        igAccountId: customer.igAccountId, igsid: customer.igsid, name: profile.name, username: profile.username,
        profilePicUrl: profile.profilePic, fetchedAt: now,
      })
      return 'fetched'
    } catch (error) {
      const kind = isGraphError(error) ? error.kind : 'unknown'
      if (kind === 'temporary' || kind === 'network' || kind === 'rate_limited') nextAttemptAt.set(key, now + PROFILE_RETRY_AFTER_TRANSIENT_MS)
      const fields = { igAccountId: customer.igAccountId, reason: isGraphError(error) ? error.reason : (error as Error)?.name ?? 'unknown' }
      if (kind === 'consent_required') deps.log.info('customer profile not available yet (no consent); the cached one is kept', fields)
      else deps.log.warn('customer profile could not be fetched; the cached one is kept', fields)
      return 'failed'
    }
  }

  return {
    /** Fetches the profile unless it is fresh or was tried recently. Never throws. */
    refresh(customer: Customer): Promise<ProfileOutcome> {
      const key = `${customer.igAccountId}\u0000${customer.igsid}`
      const running = inFlight.get(key)
      if (running) return running
      const attempt = fetchOne(customer, key)
        .catch((): ProfileOutcome => 'failed')
        .finally(() => inFlight.delete(key))
      inFlight.set(key, attempt)
      return attempt
    },
  }
}

export type ProfileRefresher = ReturnType<typeof createProfileRefresher>
