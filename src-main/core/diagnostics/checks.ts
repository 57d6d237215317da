// T1: every check Diagnostics and `npm run doctor` run. Checks only read: they never send a message,
// subscribe, refresh a token or write to the store. Each runs with its own timeout, in parallel; a
// check that cannot run (offline, no token, store unreadable) says why and leaves the others alone.
import type { GraphClient, GraphUsage, TokenInfo } from '../graph/index.ts'
import { isGraphError } from '../graph/index.ts'
import { REQUIRED_SCOPES } from '../integrations/requirements.ts'
import type { StoredIntegration } from '../store/integrationSchemas.ts'
import type { StoreStats } from '../store/repositories.ts'
import type { SyncCursor } from '../store/schemas.ts'

export type Verdict = 'ok' | 'warning' | 'problem'

export interface CheckResult {
  /** Stable: `token`, `scopes`, `meta_reachable`… */
  id: string
  /** Plain words naming what was checked (with the integration's name for per-integration checks). */
  title: string
  integrationId: string | null
  verdict: Verdict
  /** False when the check could not run; `cause` then says why. */
  ran: boolean
  /** What was found, in plain words. */
  cause: string
  /** What to do about it; null when nothing needs doing. */
  fix: string | null
}

export interface DiagnosticsReport {
  startedAt: string
  finishedAt: string
  mode: string
  checks: CheckResult[]
}

/** What Meta answered the reachability probe with. */
export interface MetaProbe {
  /** Meta's `Date` header (epoch ms), null when absent. */
  date: number | null
}

export interface StoreProbe {
  engine: 'sqlite' | 'postgres'
  /** `PRAGMA integrity_check` lines ('ok' alone when sound), or PostgreSQL's readiness. */
  integrity(): Promise<{ ok: boolean; detail: string }>
  stats(): Promise<StoreStats>
  /** Replies in `sending` or `ambiguous`, with when they last changed (epoch ms). */
  stuck(): Promise<{ id: string; state: 'sending' | 'ambiguous'; updatedAt: number }[]>
  cursors(integrationId: string): Promise<SyncCursor[]>
}

export interface DiagnosticsDeps {
  /** This machine's clock, epoch ms. */
  now: () => number
  mode: 'sandbox' | 'live'
  /** Reading a secret proves the keychain (or the server key) answers. Null: not used here. */
  keychain: { kind: 'keychain' | 'server_key'; probe: () => Promise<void> } | null
  /** A Graph client made for checking (one attempt, short timeout). Null when no Meta app is set up. */
  graph: GraphClient | null
  /** Why Meta cannot be asked at all here (no app set up, the embedded sandbox not running); null when it can. */
  metaUnavailable?: string | null
  /** One plain GET of the Graph root: reachable at all, and Meta's time. */
  probeMeta: () => Promise<MetaProbe>
  /** Throws when the store cannot be read; the integration checks then say so. */
  integrations: () => Promise<StoredIntegration[]>
  pageToken: (integrationId: string) => Promise<string | null>
  /** Null with a reason when the store could not be opened (locked, damaged, too new). */
  store: StoreProbe | { unavailable: string }
  /** Epoch ms of the last webhook delivery per integration, from the event log. */
  lastDelivery: (integration: StoredIntegration) => Promise<number | null>
  /** Whether the app receives by webhook (sandbox, a live webhook) or polls (live without one). */
  polling: boolean
  team?: {
    aliveNodes(): Promise<string[]>
    /** This node's id when it leads the integration's poller; null when another node (or none) does. */
    leaderOf(integrationId: string): Promise<string | null>
  }
  timeoutMs?: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const CHECK_TITLES: Record<string, string> = {
  keychain: 'Keychain',
  meta_reachable: 'Meta reachable',
  clock_skew: 'Clock against Meta',
  rate_limit: 'Rate-limit headroom',
  store_integrity: 'Store integrity',
  store_size: 'Store size',
  outbox_stuck: 'Replies stuck in the outbox',
  nodes: 'Server nodes',
  token: 'Token',
  scopes: 'Permissions',
  page: 'Page and Instagram account',
  app_subscribed: 'App subscribed to the page',
  webhook: 'Webhook deliveries',
  polling: 'Polling',
  poller_leader: 'Poller leader',
}

class CannotRun extends Error {}

function result(id: string, integration: StoredIntegration | null, verdict: Verdict, cause: string, fix: string | null = null, ran = true): CheckResult {
  const title = CHECK_TITLES[id] ?? id
  return { id, title: integration ? `${title} — ${integration.name}` : title, integrationId: integration?.id ?? null, verdict, ran, cause, fix }
}

export const ago = (ms: number): string => {
  const abs = Math.abs(ms)
  if (abs < MINUTE) return `${Math.round(abs / 1000)} s`
  if (abs < HOUR) return `${Math.round(abs / MINUTE)} min`
  if (abs < 2 * DAY) return `${Math.round(abs / HOUR)} h`
  return `${Math.round(abs / DAY)} days`
}

function withTimeout<T>(task: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CannotRun(`It did not finish within ${Math.round(ms / 1000)} s.`)), ms)
  })
  return Promise.race([task, timeout]).finally(() => clearTimeout(timer))
}

/** Why a Graph call failed, for a check that could not run because of it. */
function graphCause(error: unknown): string {
  if (isGraphError(error)) {
    if (error.kind === 'network') return 'Meta could not be reached (no network, or Graph is down).'
    return error.message
  }
  return error instanceof Error ? error.message : String(error)
}

/** Runs every check in parallel; the report lists them in a stable order. */
export async function runChecks(deps: DiagnosticsDeps): Promise<DiagnosticsReport> {
  const startedAt = new Date(deps.now()).toISOString()
  const timeoutMs = deps.timeoutMs ?? 8_000
  const guard = (id: string, integration: StoredIntegration | null, run: () => Promise<CheckResult>): Promise<CheckResult> =>
    withTimeout(run(), timeoutMs).catch((error: unknown) =>
      result(id, integration, 'warning', `Could not run: ${error instanceof CannotRun ? error.message : graphCause(error)}`, 'Run the checks again once the cause is gone.', false),
    )

  // One probe feeds reachability and clock skew.
  const probe = withTimeout(deps.probeMeta(), timeoutMs)
  probe.catch(() => undefined)
  let integrations: StoredIntegration[] = []
  let integrationsError: string | null = null
  try {
    integrations = (await deps.integrations()).filter((i) => !i.deletedAt)
  } catch (error) {
    integrationsError = error instanceof Error ? error.message : String(error)
  }
  // Per integration, the token's facts are read once and shared by the checks that need them.
  const tokenInfos = new Map<string, Promise<{ token: string; info: TokenInfo }>>()
  const tokenOf = (integration: StoredIntegration) => {
    let found = tokenInfos.get(integration.id)
    if (!found) {
      found = (async () => {
        if (!deps.graph) throw new CannotRun(deps.metaUnavailable ?? 'No Meta app is set up.')
        const token = await deps.pageToken(integration.id)
        if (!token) throw new CannotRun('Parley holds no token for this integration in the keychain.')
        return { token, info: await deps.graph.debugToken(token) }
      })()
      found.catch(() => undefined)
      tokenInfos.set(integration.id, found)
    }
    return found
  }
  const validToken = async (integration: StoredIntegration) => {
    const { token, info } = await tokenOf(integration)
    if (!info.isValid) throw new CannotRun('The token is not valid (see the Token check).')
    return { token, info }
  }

  const checks: Promise<CheckResult>[] = [
    guard('keychain', null, () => keychainCheck(deps)),
    guard('meta_reachable', null, async () => {
      if (deps.metaUnavailable) throw new CannotRun(deps.metaUnavailable)
      try {
        await probe
        return result('meta_reachable', null, 'ok', deps.mode === 'sandbox' ? 'The Meta sandbox answers.' : 'graph.facebook.com answers.')
      } catch (error) {
        if (error instanceof CannotRun) throw error
        return result('meta_reachable', null, 'problem', 'Meta cannot be reached: no network, a proxy or firewall blocks graph.facebook.com, or Graph is down.', 'Check the network connection and that graph.facebook.com is reachable from this computer (proxy, firewall).')
      }
    }),
    guard('clock_skew', null, async () => {
      if (deps.metaUnavailable) throw new CannotRun(deps.metaUnavailable)
      let answer: MetaProbe
      try {
        answer = await probe
      } catch {
        throw new CannotRun('Meta cannot be reached, so its time is unknown.')
      }
      if (answer.date === null) throw new CannotRun('Meta’s answer carried no Date header.')
      // The Date header has whole seconds: a second either way is no skew.
      const skew = deps.now() - answer.date
      const side = skew > 0 ? 'ahead of' : 'behind'
      if (Math.abs(skew) <= 30_000) return result('clock_skew', null, 'ok', 'This computer’s clock agrees with Meta’s.')
      const cause = `This computer’s clock is ${ago(skew)} ${side} Meta’s. Reply windows (24 hours, 7 days) and token expiry are counted on Meta’s time.`
      const fix = 'Turn on automatic time (NTP) in the operating system’s date and time settings.'
      return result('clock_skew', null, Math.abs(skew) > 5 * MINUTE ? 'problem' : 'warning', cause, fix)
    }),
    guard('rate_limit', null, async () => {
      if (!deps.graph) throw new CannotRun(deps.metaUnavailable ?? 'No Meta app is set up.')
      try {
        await probe
      } catch {
        throw new CannotRun('Meta cannot be reached.')
      }
      // Usage headers come with answers to token-bearing calls: wait for the token checks.
      await Promise.allSettled(integrations.map((i) => tokenOf(i)))
      return rateLimitCheck(deps.graph.usage())
    }),
    ...storeChecks(deps, guard),
  ]
  if (deps.team) checks.push(guard('nodes', null, () => nodesCheck(deps)))
  if (integrationsError !== null) {
    checks.push(Promise.resolve(result('token', null, 'warning', `Could not run the integration checks: the store could not be read (${integrationsError}).`, 'Fix the store first (see Store integrity).', false)))
  }
  for (const integration of integrations) {
    checks.push(
      guard('token', integration, async () => tokenCheck(integration, (await tokenOf(integration)).info, deps.now())),
      guard('scopes', integration, async () => scopesCheck(integration, (await validToken(integration)).info)),
      guard('page', integration, async () => {
        const { token } = await validToken(integration)
        return pageCheck(integration, await deps.graph!.page(integration.pageId, token, ['is_published', 'instagram_business_account', 'connected_instagram_account']))
      }),
      guard('app_subscribed', integration, async () => {
        const { token } = await validToken(integration)
        const apps = await deps.graph!.subscribedApps(integration.pageId, token)
        const ours = apps.find((app) => app.id === deps.graph!.appId)
        if (!ours) return result('app_subscribed', integration, 'problem', 'Parley’s app is not subscribed to the page’s webhooks: no messages arrive by webhook.', 'Recreate the integration: it subscribes the page again.')
        const missing = ['messages'].filter((f) => !ours.subscribedFields.includes(f))
        if (missing.length) return result('app_subscribed', integration, 'warning', `The subscription lacks ${missing.join(', ')}.`, 'Recreate the integration: it subscribes every field again.')
        return result('app_subscribed', integration, 'ok', `Subscribed to ${ours.subscribedFields.join(', ') || 'the page'}.`)
      }),
      guard(deps.polling ? 'polling' : 'webhook', integration, () => (deps.polling ? pollingCheck(deps, integration) : webhookCheck(deps, integration))),
    )
    if (deps.team) checks.push(guard('poller_leader', integration, () => leaderCheck(deps, integration)))
  }
  const checksDone = await Promise.all(checks)
  return { startedAt, finishedAt: new Date(deps.now()).toISOString(), mode: deps.mode, checks: checksDone }
}

async function keychainCheck(deps: DiagnosticsDeps): Promise<CheckResult> {
  if (!deps.keychain) return result('keychain', null, 'ok', 'This Parley keeps no secrets in a keychain (sandbox with memory secrets).')
  const what = deps.keychain.kind === 'server_key' ? 'The server key' : 'The operating system’s keychain'
  try {
    await deps.keychain.probe()
    return result('keychain', null, 'ok', `${what} answers.`)
  } catch (error) {
    const fix = deps.keychain.kind === 'server_key'
      ? 'Check that PARLEY_SERVER_KEY_FILE names a readable key file owned by the server’s user.'
      : 'Unlock the keychain (log in to the desktop session); on Linux start the Secret Service (gnome-keyring or KWallet).'
    return result('keychain', null, 'problem', `${what} does not answer: ${error instanceof Error ? error.message : String(error)}. Parley cannot read tokens, so it can neither send nor check integrations.`, fix)
  }
}

export function rateLimitCheck(usage: GraphUsage): CheckResult {
  if (usage.updatedAt === null) return result('rate_limit', null, 'ok', 'Meta reported no usage yet: far from any limit.')
  const percent = Math.round(usage.maxPercent)
  if (percent >= 100) return result('rate_limit', null, 'problem', `Meta reports ${percent} % of a rate limit used: calls are refused until it recovers.`, 'Wait until Meta’s usage falls (up to an hour); avoid extra checks and restarts meanwhile.')
  if (percent >= 75) return result('rate_limit', null, 'warning', `Meta reports ${percent} % of a rate limit used.`, 'Reduce calls: fewer integrations per app, fewer manual checks; it recovers within an hour.')
  return result('rate_limit', null, 'ok', `${percent} % of Meta’s rate limits used.`)
}

export function tokenCheck(integration: StoredIntegration, info: TokenInfo, now: number): CheckResult {
  if (!info.isValid) {
    const cause = info.problem?.message ?? 'Meta no longer accepts this integration’s token.'
    return result('token', integration, 'problem', cause, info.problem?.remedy ?? 'Recreate the integration to log in again.')
  }
  if (!info.expiresAt) return result('token', integration, 'ok', 'The token is valid and does not expire.')
  const left = info.expiresAt.getTime() - now
  const cause = `The token is valid and expires in ${ago(left)} (${info.expiresAt.toISOString()}).`
  if (left < 7 * DAY) return result('token', integration, 'warning', cause, 'Recreate the integration before then: a new login gives a token that does not expire.')
  return result('token', integration, 'ok', cause)
}

export function scopesCheck(integration: StoredIntegration, info: TokenInfo): CheckResult {
  const granted = new Set(info.scopes)
  const missing = REQUIRED_SCOPES.filter((scope) => !granted.has(scope))
  if (missing.length) {
    return result('scopes', integration, 'problem', `Permissions missing: ${missing.join(', ')}. Parley cannot ${missing.some((m) => m.includes('messages')) ? 'read or send messages' : 'read the page'} without them.`, 'Recreate the integration and grant every permission Facebook asks for.')
  }
  return result('scopes', integration, 'ok', 'Every permission Parley needs is granted.')
}

export function pageCheck(integration: StoredIntegration, page: Record<string, unknown>): CheckResult {
  if (page.is_published === false) return result('page', integration, 'problem', 'The Facebook Page is not published: Instagram messages to it cannot be handled.', 'Publish the Page in its Facebook settings.')
  const business = page.instagram_business_account as { id?: string } | undefined
  const connected = page.connected_instagram_account as { id?: string } | undefined
  if (!business && connected) return result('page', integration, 'problem', 'The Instagram account was switched to professional but the switch is not confirmed in the Page settings.', 'Confirm the switch to a professional account in the Page’s linked-accounts settings.')
  if (!business) return result('page', integration, 'problem', 'No professional Instagram account is linked to the Page (unlinked, or switched back to personal).', 'Link the Instagram account to the Page as a professional (business or creator) account.')
  if (business.id && business.id !== integration.instagram.id) return result('page', integration, 'problem', `The Page is now linked to another Instagram account (${business.id}).`, 'Link @' + integration.instagram.username + ' again, or create an integration for the new account.')
  return result('page', integration, 'ok', `The Page is published and linked to @${integration.instagram.username}, a professional account.`)
}

async function webhookCheck(deps: DiagnosticsDeps, integration: StoredIntegration): Promise<CheckResult> {
  const last = await deps.lastDelivery(integration)
  if (last === null) return result('webhook', integration, 'warning', 'No webhook delivery recorded in the event log yet.', 'Send a test message to the Instagram account; if none arrives, check the webhook address in Meta app settings.')
  const age = deps.now() - last
  const cause = `Last delivery ${ago(age)} ago (${new Date(last).toISOString()}).`
  if (age > DAY) return result('webhook', integration, 'warning', `${cause} Deliveries may have stopped.`, 'Check that the webhook address is reachable from the internet and subscribed in the Meta app; see Meta’s webhook delivery log.')
  return result('webhook', integration, 'ok', cause)
}

async function pollingCheck(deps: DiagnosticsDeps, integration: StoredIntegration): Promise<CheckResult> {
  if ('unavailable' in deps.store) throw new CannotRun('The store cannot be read.')
  const cursors = await deps.store.cursors(integration.id)
  if (!cursors.length) return result('polling', integration, 'warning', 'The conversations have not been polled yet.', 'Leave Parley running for a minute; if it stays so, check Meta reachable.')
  const age = deps.now() - Math.max(...cursors.map((c) => c.syncedAt))
  const cause = `Last poll ${ago(age)} ago.`
  if (age > 15 * MINUTE) return result('polling', integration, 'problem', `${cause} Polling has stopped: new messages are not fetched.`, 'Restart Parley; check Meta reachable and the rate limit.')
  if (age > 3 * MINUTE) return result('polling', integration, 'warning', `${cause} Polling is late.`, 'Check Meta reachable and the rate limit.')
  return result('polling', integration, 'ok', cause)
}

async function leaderCheck(deps: DiagnosticsDeps, integration: StoredIntegration): Promise<CheckResult> {
  const leader = await deps.team!.leaderOf(integration.id)
  if (leader) return result('poller_leader', integration, 'ok', `This node (${leader}) leads the poller.`)
  const alive = await deps.team!.aliveNodes()
  if (alive.length < 2) return result('poller_leader', integration, 'warning', 'No node leads this integration’s poller right now.', 'Check that at least one server node runs; another takes over within a minute.')
  return result('poller_leader', integration, 'ok', 'Another node leads the poller.')
}

async function nodesCheck(deps: DiagnosticsDeps): Promise<CheckResult> {
  const nodes = await deps.team!.aliveNodes()
  if (!nodes.length) return result('nodes', null, 'problem', 'No server node has reported in.', 'Start the Parley server.')
  return result('nodes', null, 'ok', `${nodes.length} node${nodes.length === 1 ? '' : 's'} alive: ${nodes.join(', ')}.`)
}

function storeChecks(deps: DiagnosticsDeps, guard: (id: string, integration: null, run: () => Promise<CheckResult>) => Promise<CheckResult>): Promise<CheckResult>[] {
  const store = deps.store
  if ('unavailable' in store) {
    if (store.unavailable.includes('does not exist yet')) return [Promise.resolve(result('store_integrity', null, 'warning', store.unavailable, 'Check that PARLEY_DATA_DIR names the data folder Parley uses.'))]
    return [Promise.resolve(result('store_integrity', null, 'problem', `The store cannot be opened: ${store.unavailable}`, 'Close other Parley windows using this data folder; if the file is damaged, restore it from a backup (Parley leaves a damaged file untouched).'))]
  }
  return [
    guard('store_integrity', null, async () => {
      const { ok, detail } = await store.integrity()
      if (ok) return result('store_integrity', null, 'ok', store.engine === 'sqlite' ? 'The database passes SQLite’s integrity check.' : `PostgreSQL answers and its schema is current (${detail}).`)
      return result('store_integrity', null, 'problem', store.engine === 'sqlite' ? `The database is damaged: ${detail}` : `PostgreSQL is not ready: ${detail}`, store.engine === 'sqlite' ? 'Stop Parley and restore inbox.sqlite from a backup.' : 'Check that PostgreSQL runs and that PARLEY_DATABASE_URL is right; start a server node to apply migrations.')
    }),
    guard('store_size', null, async () => {
      const stats = await store.stats()
      const bytes = stats.files.database + stats.files.wal
      const mb = (bytes / 1_048_576).toFixed(1)
      const freeShare = stats.pages.count ? stats.pages.free / stats.pages.count : 0
      const cause = `${mb} MB, ${stats.rows.conversations} conversations, ${stats.rows.messages} messages, ${stats.pages.free} free pages of ${stats.pages.count}.`
      if (bytes > 4 * 1024 ** 3) return result('store_size', null, 'warning', `${cause} The store is large.`, 'Delete integrations no longer needed; keep at least twice its size free on the disk.')
      if (stats.pages.count > 1000 && freeShare > 0.5) return result('store_size', null, 'warning', `${cause} More than half of it is free space.`, 'Nothing is wrong; the space is reused by new messages.')
      return result('store_size', null, 'ok', cause)
    }),
    guard('outbox_stuck', null, async () => {
      const stuck = await store.stuck()
      const now = deps.now()
      const old = stuck.filter((item) => now - item.updatedAt > 5 * MINUTE)
      const ambiguous = stuck.filter((item) => item.state === 'ambiguous').length
      if (!stuck.length) return result('outbox_stuck', null, 'ok', 'No reply is stuck in sending.')
      const cause = `${stuck.length} repl${stuck.length === 1 ? 'y is' : 'ies are'} sending or uncertain (${ambiguous} uncertain); ${old.length} for longer than 5 minutes.`
      if (old.length) return result('outbox_stuck', null, 'problem', cause, 'Check Meta reachable; uncertain replies are reconciled with Meta before any retry — agents can open them in the thread.')
      return result('outbox_stuck', null, 'ok', cause)
    }),
  ]
}

/** 0 all OK, 1 warnings, 2 problems: `npm run doctor`'s exit code. */
export function exitCodeOf(report: DiagnosticsReport): 0 | 1 | 2 {
  if (report.checks.some((c) => c.verdict === 'problem')) return 2
  if (report.checks.some((c) => c.verdict === 'warning')) return 1
  return 0
}
