import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import type { Logger } from '../app/logger.ts'
import type { EventHub } from '../contract/eventHub.ts'
import type { IntegrationStore } from '../integrations/integrationStore.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { Store } from '../store/index.ts'
import { createIngest, createPoller, createWebhookReceiver, registerAppWebhook, startWebhookServer, type IntegrationDirectory } from './inbound/index.ts'

/** How often a live workstation without a public webhook address asks the Conversations API. */
const POLL_INTERVAL_MS = 30_000

export interface ReceivingDeps {
  meta: MetaRuntime
  store: Store
  integrations: IntegrationStore
  secrets: ParleySecrets
  events: EventHub
  log: Logger
  /** Routes served beside the webhook, at an address Meta can reach (attachment replies). */
  mount?: (app: Hono) => void
}

export interface Receiving {
  /** The address Meta reaches Parley at: the loopback server in sandbox mode; null when Meta cannot reach Parley. */
  publicOrigin(): string | null
  close(): Promise<void>
}

/**
 * A2: in sandbox mode a webhook receiver on a loopback port, registered with the sandbox's app as
 * the App Dashboard registers it with Meta; in live mode the Conversations API poller. Both feed
 * one ingest path, which tells the window what changed.
 */
export async function startReceiving(deps: ReceivingDeps): Promise<Receiving> {
  const directory: IntegrationDirectory = {
    byInstagramAccount: (igId) => {
      const integration = deps.integrations.list().find((i) => i.instagram.id === igId)
      return integration
        ? { integrationId: integration.id, pageId: integration.pageId, storyMentions: integration.storyMentions, storyReplies: integration.storyReplies }
        : null
    },
    pageToken: (integrationId) => deps.secrets.pageToken(integrationId).get(),
  }
  const ingest = createIngest({
    store: deps.store,
    directory,
    graph: () => deps.meta.graph(),
    log: deps.log,
    now: () => deps.meta.now(),
    onChange: (change) => void announce(change.conversationId, change.kind === 'message' ? change.mid : null),
  })
  // Only a customer's new message is worth a notification; echoes, reactions and profiles are not.
  const announce = async (conversationId: string, mid: string | null) => {
    const message = mid ? await deps.store.messages.get(mid).catch(() => null) : null
    deps.events.emit('inbox.changed', { conversationIds: [conversationId], newInbound: message?.direction === 'inbound' })
  }

  const verifyToken = randomBytes(18).toString('base64url')
  const receiver = createWebhookReceiver({
    appSecret: async () => deps.meta.backend().sandboxAppSecret ?? (await deps.secrets.metaAppSecret.get()),
    verifyToken,
    onPayload: (payload) => ingest.webhook(payload),
    log: deps.log,
  })
  const server = await startWebhookServer({ receiver, mount: deps.mount })
  const poller = createPoller({
    store: deps.store,
    graph: () => deps.meta.graph(),
    directory,
    accounts: () => (deps.meta.mode() === 'live' ? deps.integrations.list().map((i) => i.instagram.id) : []),
    ingest,
    log: deps.log,
    now: () => deps.meta.now(),
  })
  if (deps.meta.mode() === 'sandbox') await registerAppWebhook(deps.meta.graph(), { callbackUrl: server.url, verifyToken })
  else poller.start(POLL_INTERVAL_MS)

  return {
    publicOrigin: () => (deps.meta.mode() === 'sandbox' ? server.origin : null),
    async close() {
      await poller.stop()
      await server.close()
    },
  }
}
