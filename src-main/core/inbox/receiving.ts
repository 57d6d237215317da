import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import type { Logger } from '../app/logger.ts'
import { describeError } from '../app/logger.ts'
import type { EventHub } from '../contract/eventHub.ts'
import { WEBHOOK_CALLBACK_PATH, type Problem, type WebhookView } from '../contract/integrations.ts'
import type { IntegrationStore } from '../integrations/integrationStore.ts'
import { audienceOf } from '../people/conversationAccess.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import { createMemorySettingsFile, type SettingsFile } from '../settings/settingsFile.ts'
import { readWebhookSettings } from '../settings/webhookSettings.ts'
import type { Store } from '../store/index.ts'
import {
  createIngest, createPoller, createWebhookReceiver, DEFAULT_WEBHOOK_PATH, mountWebhookRoutes, registerAppWebhook, startWebhookServer,
  type IntegrationDirectory, type RunningWebhookServer,
} from './inbound/index.ts'
import type { WebhookReceiver } from './inbound/webhookReceiver.ts'
import { createLiveWebhook } from './webhook/liveWebhook.ts'
import { environmentProblem, listenProblem, noSecretProblem, registrationProblem } from './webhook/problems.ts'
import { deriveVerifyToken } from './webhook/verifyToken.ts'

/** How often a live workstation without a working webhook asks the Conversations API. */
export const POLL_INTERVAL_MS = 30_000

/**
 * A host that serves Meta's webhook on its own address — the team server, whose every node takes
 * webhooks: Parley's routes are added to the host's app, and Meta is given the host's address.
 */
export interface WebhookMount {
  /** Where Meta reaches this server: the load balancer's address, or this node's own. */
  origin: string
  /** Adds routes to the host's app; called once. */
  mount(routes: (app: Hono) => void): void
}

export interface ReceivingDeps {
  meta: MetaRuntime
  store: Store
  integrations: IntegrationStore
  secrets: ParleySecrets
  events: EventHub
  log: Logger
  /** Routes served beside the webhook, at an address Meta can reach (attachment replies). */
  mount?: (app: Hono) => void
  /** Where the live webhook's address and port are kept (webhookSettings.ts). */
  settingsFile?: SettingsFile
  /** PARLEY_WEBHOOK_URL / PARLEY_WEBHOOK_PORT override the settings file. */
  env?: NodeJS.ProcessEnv
  pollIntervalMs?: number
  /** Who a new conversation is assigned to (see createIngest). */
  assignee?: string | null
  /** Team server: receive on the host's own address instead of a port of Parley's own. */
  attachTo?: WebhookMount
  /** A customer's message (or their profile) was stored: routing has work (R1). */
  onArrival?: () => void
  /** Team server: whether this node polls an integration now (one node per integration). All, by default. */
  leads?: (integrationId: string) => boolean
}

export interface Receiving {
  /**
   * The address Meta reaches Parley at: the loopback server in sandbox mode, the public webhook
   * address in live mode; null when Meta cannot reach Parley (live mode without an address).
   */
  publicOrigin(): string | null
  /** What the Meta app section shows: the address, what to paste into Meta, how messages arrive. */
  webhook(): Promise<WebhookView>
  /** The mode or the webhook settings changed: stop receiving the old way, start the right one. */
  restart(): Promise<void>
  close(): Promise<void>
}

/** One way of receiving, for one mode and one set of webhook settings. */
interface Session {
  origin: string | null
  receiving: WebhookView['receiving']
  problem: Problem | null
  stop(): Promise<void>
}

/**
 * A2: in sandbox mode a webhook receiver on a loopback port, registered with the sandbox's app as
 * the App Dashboard registers it with Meta. In live mode a receiver on the port a public address
 * forwards to, registered with the supervisor's app, with a backfill by the Conversations API at
 * start and after outages; without an address, the poller every 30 s. Both feed one ingest path,
 * which tells the window what changed. A mode switch or new settings start it again (`restart`).
 */
export async function startReceiving(deps: ReceivingDeps): Promise<Receiving> {
  const { log } = deps
  const env = deps.env ?? process.env
  const settingsFile = deps.settingsFile ?? createMemorySettingsFile()
  const intervalMs = deps.pollIntervalMs ?? POLL_INTERVAL_MS
  const directory: IntegrationDirectory = {
    byInstagramAccount: (igId) => {
      const integration = deps.integrations.list().find((i) => i.instagram.id === igId)
      return integration
        ? { integrationId: integration.id, pageId: integration.pageId, storyMentions: integration.storyMentions, storyReplies: integration.storyReplies }
        : null
    },
    pageToken: (integrationId) => deps.secrets.pageToken(integrationId).get(),
    refresh: () => deps.integrations.refresh(),
  }
  const ingest = createIngest({
    store: deps.store,
    directory,
    graph: () => deps.meta.graph(),
    log,
    now: () => deps.meta.now(),
    onChange: (change) => {
      void announce(change.conversationId, change.kind === 'message' ? change.mid : null)
      if (change.kind === 'message' || change.kind === 'profile') deps.onArrival?.()
    },
    assignee: deps.assignee ?? null,
  })
  // Only a customer's new message is worth a notification; echoes, reactions and profiles are not.
  const announce = async (conversationId: string, mid: string | null) => {
    const [message, conversation] = await Promise.all([
      mid ? deps.store.messages.get(mid).catch(() => null) : null,
      deps.store.conversations.get(conversationId).catch(() => null),
    ])
    deps.events.emit('inbox.changed', { conversationIds: [conversationId], newInbound: message?.direction === 'inbound' }, audienceOf(conversation))
  }
  const poller = createPoller({
    store: deps.store,
    graph: () => deps.meta.graph(),
    directory,
    // The sandbox delivers every event by webhook; only Meta is polled, each integration by one node.
    accounts: () => (deps.meta.mode() === 'live' ? deps.integrations.list().filter((i) => deps.leads?.(i.id) ?? true).map((i) => i.instagram.id) : []),
    ingest,
    log,
    now: () => deps.meta.now(),
  })
  const receiverFor = (verifyToken: string) =>
    createWebhookReceiver({
      appSecret: async () => deps.meta.backend().sandboxAppSecret ?? (await deps.secrets.metaAppSecret.get()),
      verifyToken,
      onPayload: (payload) => ingest.webhook(payload),
      log,
    })
  const liveVerifyToken = async (): Promise<string | null> => {
    const appId = deps.meta.backend().appId
    const secret = await deps.secrets.metaAppSecret.get()
    return appId && secret ? deriveVerifyToken(secret, appId) : null
  }

  // A host that serves the webhook itself (the team server) keeps one set of routes, answered by
  // whichever receiver the current way of receiving made.
  let attached: WebhookReceiver | null = null
  deps.attachTo?.mount((app) => {
    mountWebhookRoutes(app, () => attached)
    deps.mount?.(app)
  })
  async function listenFor(receiver: WebhookReceiver, where: { host?: string; port?: number }): Promise<RunningWebhookServer> {
    const attachTo = deps.attachTo
    if (!attachTo) return startWebhookServer({ receiver, ...where, mount: deps.mount })
    attached = receiver
    return {
      url: `${attachTo.origin}${DEFAULT_WEBHOOK_PATH}`,
      origin: attachTo.origin,
      close: async () => void (attached === receiver && (attached = null)),
    }
  }

  async function sandboxSession(): Promise<Session> {
    // The sandbox is told the token with the subscription: a fresh one per start is enough.
    const verifyToken = randomBytes(18).toString('base64url')
    const server = await listenFor(receiverFor(verifyToken), {})
    const session: Session = { origin: server.origin, receiving: 'sandbox', problem: null, stop: () => server.close() }
    try {
      await registerAppWebhook(deps.meta.graph(), { callbackUrl: server.url, verifyToken })
    } catch (error) {
      session.problem = registrationProblem(error, { callbackUrl: server.url, host: '127.0.0.1', port: Number(new URL(server.origin).port) }, true)
      log.error('the sandbox did not register the webhook receiver', describeError(error))
    }
    return session
  }

  function pollingSession(problem: Problem | null): Session {
    poller.start(intervalMs)
    return { origin: null, receiving: 'polling', problem, stop: () => poller.stop() }
  }

  async function liveSession(): Promise<Session> {
    const settings = readWebhookSettings(settingsFile, env)
    const envProblem = settings.environmentProblem ? environmentProblem(settings.environmentProblem) : null
    const publicUrl = deps.attachTo?.origin ?? settings.publicUrl
    if (!publicUrl) return pollingSession(envProblem)
    const where = { callbackUrl: `${publicUrl}${WEBHOOK_CALLBACK_PATH}`, host: settings.host, port: settings.port }
    const verifyToken = await liveVerifyToken()
    if (!verifyToken) return pollingSession(noSecretProblem())
    let server: RunningWebhookServer
    try {
      server = await listenFor(receiverFor(verifyToken), { host: settings.host, port: settings.port })
    } catch (error) {
      log.error('the webhook receiver could not listen on its port', { host: settings.host, port: settings.port, ...describeError(error) })
      return pollingSession(listenProblem(error, settings))
    }
    const session: Session = { origin: publicUrl, receiving: 'starting', problem: envProblem, stop: async () => {} }
    const live = createLiveWebhook({
      graph: deps.meta.graph(),
      register: () => registerAppWebhook(deps.meta.graph(), { callbackUrl: where.callbackUrl, verifyToken }),
      pollOnce: () => poller.pollOnce(),
      where,
      intervalMs,
      log,
      onState: (state) => Object.assign(session, { receiving: state.receiving, problem: state.problem ?? envProblem }),
    })
    session.stop = async () => {
      await live.stop()
      await poller.stop()
      await server.close()
    }
    await live.start()
    return session
  }

  let current: Session | null = null
  let closed = false
  let chain: Promise<void> = Promise.resolve()
  const restart = (): Promise<void> => {
    chain = chain.then(async () => {
      const previous = current
      current = null
      await previous?.stop().catch((error: unknown) => log.warn('the previous way of receiving did not stop cleanly', describeError(error)))
      if (closed) return
      try {
        current = deps.meta.mode() === 'sandbox' ? await sandboxSession() : await liveSession()
      } catch (error) {
        log.error('receiving could not start', describeError(error))
        current = {
          origin: null, receiving: 'polling', stop: async () => {},
          problem: { code: 'webhook.failed', message: 'Parley could not start receiving messages.', remedy: 'Restart Parley; the event log says more.' },
        }
      }
    })
    return chain
  }
  await restart()

  return {
    publicOrigin: () => current?.origin ?? null,
    async webhook() {
      const settings = readWebhookSettings(settingsFile, env)
      const live = deps.meta.mode() === 'live'
      // A team server receives on its own address, which its configuration sets, not the window.
      const publicUrl = deps.attachTo?.origin ?? settings.publicUrl
      return {
        publicUrl,
        port: settings.port,
        host: settings.host,
        fromEnvironment: settings.fromEnvironment || deps.attachTo !== undefined,
        callbackUrl: publicUrl ? `${publicUrl}${WEBHOOK_CALLBACK_PATH}` : null,
        verifyToken: live && publicUrl ? await liveVerifyToken() : null,
        receiving: current?.receiving ?? 'starting',
        problem: current?.problem ?? null,
      }
    },
    restart,
    async close() {
      closed = true
      await restart()
    },
  }
}
