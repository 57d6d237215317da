// The Graph client: configuration in, typed calls out. Everything with side effects (fetch, sleep,
// clock, the keychain read of the app secret) is passed in, so tests and the sandbox drive it fully.
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.ts'
import { businessCalls } from './business.ts'
import { desktopRedirectUri, loginDialogUrl, type LoginDialogOptions } from './login.ts'
import { messagingCalls } from './messaging.ts'
import { tokenCalls } from './tokens.ts'
import { createTransport } from './transport.ts'
import { UsageTracker, type GraphUsage } from './usage.ts'

export const DEFAULT_GRAPH_VERSION = 'v25.0'
export const DEFAULT_TIMEOUT_MS = 20_000

export interface GraphClientOptions {
  /** `https://graph.facebook.com`, or the sandbox's address. */
  graphBase: string
  /** `https://www.facebook.com`, or the sandbox's address. */
  webBase: string
  version?: string
  appId: string
  /**
   * Reads the app secret (from the keychain) each time a call needs it. The client never keeps it:
   * nothing in the client object can leak it through serialization or a log.
   */
  appSecret: () => Promise<string | null>
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  /** Epoch milliseconds. */
  now?: () => number
  /** Jitter source in [0, 1). */
  random?: () => number
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Called with the latest usage after every response that carries usage headers. */
  onUsage?: (usage: GraphUsage) => void
}

export type GraphClient = ReturnType<typeof createGraphClient>

export function createGraphClient(options: GraphClientOptions) {
  const version = options.version ?? DEFAULT_GRAPH_VERSION
  if (!/^v\d+\.\d+$/.test(version)) throw new TypeError(`Graph version must look like v25.0, not "${version}"`)
  for (const base of [options.graphBase, options.webBase]) {
    if (!/^https?:\/\//.test(base)) throw new TypeError(`Graph and web addresses must be http(s) URLs, not "${base}"`)
  }
  const now = options.now ?? Date.now
  const usage = new UsageTracker()
  // Whoever calls Graph (replies, health checks, the poller) notices an outage; receiving listens
  // so that it can backfill once Meta answers again.
  const reachability = new Set<(reachable: boolean) => void>()
  let reachable: boolean | null = null
  const onReachable = (next: boolean) => {
    if (next === reachable) return
    reachable = next
    for (const listener of reachability) listener(next)
  }
  const transport = createTransport({
    graphBase: options.graphBase,
    version,
    appSecret: options.appSecret,
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now,
    random: options.random ?? Math.random,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    usage,
    onUsage: options.onUsage,
    onReachable,
  })
  const context = { transport, appId: options.appId, now }

  return {
    appId: options.appId,
    version,
    /** The latest usage Meta reported (max percentage, per object id). */
    usage: (): GraphUsage => usage.snapshot(),
    /** Called when Meta stops or starts answering (connection failures, not error answers). Returns an unsubscribe. */
    onReachabilityChange(listener: (reachable: boolean) => void): () => void {
      reachability.add(listener)
      return () => void reachability.delete(listener)
    },
    /** `https://www.facebook.com/connect/login_success.html` on this web base. */
    redirectUri: (): string => desktopRedirectUri(options.webBase),
    /** The Facebook Login dialog for this app; the redirect defaults to the desktop one. */
    loginDialogUrl: (login: Omit<LoginDialogOptions, 'webBase' | 'version' | 'appId' | 'redirectUri'> & { redirectUri?: string }): string =>
      loginDialogUrl({ ...login, webBase: options.webBase, version, appId: options.appId, redirectUri: login.redirectUri ?? desktopRedirectUri(options.webBase) }),
    ...tokenCalls(context),
    ...businessCalls(context),
    ...messagingCalls(context),
  }
}
