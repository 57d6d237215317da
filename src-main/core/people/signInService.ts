// P3: signing in to the team server. One answer for a wrong username or a wrong password; every
// failure is counted per account and per address (across nodes, in the store), slowed down, and
// after repeated failures the account or address is locked for a while. Sessions are random
// 256-bit tokens, kept only as their hash, and end after 12 hours idle or at Sign out.
import type { Logger } from '../app/logger.ts'
import type { Actor, CallContext } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import type { Person, SessionClient, Store, ThrottlePolicy } from '../store/index.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { actorOf } from './permissions.ts'
import { hashSessionToken, looksLikeSessionToken, newSessionToken } from './sessionTokens.ts'

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000
const MINUTE = 60_000
/** Ten wrong passwords for one account within 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { windowMs: 15 * MINUTE, lockAfter: 10, lockMs: 15 * MINUTE }
/** One address trying many accounts is locked after 50 failures. */
export const ADDRESS_THROTTLE: ThrottlePolicy = { windowMs: 15 * MINUTE, lockAfter: 50, lockMs: 15 * MINUTE }
/** Each further failure waits longer before its answer: 0.25 s, 0.5 s, 1 s … up to 4 s. */
export const failureDelayMs = (failures: number) => Math.min(4000, 250 * 2 ** Math.max(0, failures - 1))

export const WRONG_CREDENTIALS = 'The username or password is not right.'

export interface SignInDeps {
  store: Pick<Store, 'people' | 'sessions' | 'signInThrottle'>
  now: () => number
  log: Logger
  sleep?: (ms: number) => Promise<void>
}

export interface SignedIn {
  /** Goes to the browser's cookie or the desktop's keychain; never stored by the server. */
  token: string
  person: Person
}

export function createSignInService(deps: SignInDeps) {
  const { store, now, log } = deps
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`
  const addressKey = (address: string) => `address:${address}`

  async function refuseIfLocked(keys: string[]): Promise<void> {
    const at = now()
    const locks = await Promise.all(keys.map((key) => store.signInThrottle.get(key)))
    const until = Math.max(0, ...locks.map((state) => (state?.lockedUntil && state.lockedUntil > at ? state.lockedUntil : 0)))
    if (until === 0) return
    const minutes = Math.max(1, Math.ceil((until - at) / MINUTE))
    throw new ParleyError('sign_in_locked', `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`)
  }

  return {
    async signIn(input: { username: string; password: string; address: string | null; client: SessionClient }): Promise<SignedIn> {
      const keys = [accountKey(input.username), ...(input.address ? [addressKey(input.address)] : [])]
      await refuseIfLocked(keys)
      const found = await store.people.credentials(input.username)
      // The same work whether or not the username exists, so timing does not tell.
      const matches = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()))
      if (!found || !matches || !found.person.active) {
        const at = now()
        const [account] = await Promise.all([
          store.signInThrottle.recordFailure(keys[0]!, at, ACCOUNT_THROTTLE),
          ...(input.address ? [store.signInThrottle.recordFailure(keys[1]!, at, ADDRESS_THROTTLE)] : []),
        ])
        log.warn('sign-in refused', { failures: account.failures, locked: account.lockedUntil !== null })
        await sleep(failureDelayMs(account.failures))
        throw new ParleyError('sign_in_failed', WRONG_CREDENTIALS)
      }
      await store.signInThrottle.clear(keys[0]!)
      const token = newSessionToken()
      await store.sessions.create({ tokenHash: hashSessionToken(token), personId: found.person.id, client: input.client, address: input.address, at: now() })
      log.info('signed in', { person: found.person.id, client: input.client })
      return { token, person: found.person }
    },

    /** The context a session's calls run in; null when the token is unknown, idle too long or its person deactivated. */
    async authenticate(token: string | null | undefined, client: SessionClient): Promise<CallContext | null> {
      if (!looksLikeSessionToken(token)) return null
      const at = now()
      const found = await store.sessions.touch(hashSessionToken(token), at, at - SESSION_IDLE_MS)
      if (!found) return null
      return { actor: actorOf(found.person), client, sessionId: found.session.tokenHash }
    },

    /**
     * Whether a window's session still holds, without counting as use: an open window that only
     * receives events still ends 12 hours after its person last did anything (`lastUsedAt`).
     */
    async stillValid(token: string, lastUsedAt: number): Promise<boolean> {
      if (!looksLikeSessionToken(token)) return false
      return (await store.sessions.touch(hashSessionToken(token), lastUsedAt, now() - SESSION_IDLE_MS)) !== null
    },

    /** Sign out: the session is gone from the store, so no node accepts it again. */
    async signOut(sessionId: string): Promise<void> {
      await store.sessions.delete(sessionId)
    },
  }
}
export type SignInService = ReturnType<typeof createSignInService>
export type { Actor }
