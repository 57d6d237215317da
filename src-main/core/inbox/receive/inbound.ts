import { randomBytes } from 'node:crypto'
import type { Logger } from '../../app/logger.ts'
import type { EventHub } from '../../contract/eventHub.ts'
import type { IntegrationStore } from '../../integrations/integrationStore.ts'
import { PAGE_WEBHOOK_FIELDS } from '../../integrations/requirements.ts'
import type { MetaRuntime } from '../../meta/metaRuntime.ts'
import type { ParleySecrets } from '../../secrets/secretStore.ts'
import type { Store } from '../../store/index.ts'
import { ingestPayload, type IngestResult } from './ingest.ts'
import { createWebhookReceiver } from './webhookReceiver.ts'
import { startWebhookServer } from './webhookServer.ts'

/** Profiles are refetched at most this often (profile picture URLs expire after a few days). */
const PROFILE_MAX_AGE_MS = 24 * 60 * 60 * 1000

export interface InboundDeps {
  meta: MetaRuntime
  store: Store
  integrations: IntegrationStore
  secrets: ParleySecrets
  events: EventHub
  log: Logger
}

/**
 * A2 by webhook: in sandbox mode a receiver on a loopback port, registered with the sandbox app as
 * Meta's App Dashboard would register it. Each payload goes through ingest; new customers get their
 * name and username from the User Profile API (A1).
 */
export async function startInbound(deps: InboundDeps): Promise<{ url: string; close(): Promise<void> }> {
  const verifyToken = randomBytes(18).toString('base64url')
  const receiver = createWebhookReceiver({
    appSecret: async () => deps.meta.backend().sandboxAppSecret ?? (await deps.secrets.metaAppSecret.get()),
    verifyToken,
    log: deps.log,
    onPayload: async (payload) => {
      const result = await ingestPayload(payload, {
        store: deps.store,
        log: deps.log,
        integrationFor: (igAccountId) => {
          const integration = deps.integrations.list().find((i) => i.instagram.id === igAccountId)
          return integration ? { integrationId: integration.id, storyMentions: integration.storyMentions, storyReplies: integration.storyReplies } : null
        },
      })
      if (result.conversationIds.length) {
        deps.events.emit('inbox.changed', { conversationIds: [...new Set(result.conversationIds)], newInbound: result.newInbound })
      }
      void fetchProfiles(result, deps)
    },
  })
  const server = await startWebhookServer(receiver)
  if (deps.meta.mode() === 'sandbox') {
    await deps.meta.graph().subscribeAppWebhooks({ callbackUrl: server.url, verifyToken, fields: [...PAGE_WEBHOOK_FIELDS] })
  }
  return server
}

async function fetchProfiles(result: IngestResult, deps: InboundDeps) {
  const now = deps.meta.now()
  for (const { integrationId, igAccountId, igsid } of result.customers) {
    const known = await deps.store.participants.get(igAccountId, igsid)
    if (known && now - known.fetchedAt < PROFILE_MAX_AGE_MS) continue
    const token = await deps.secrets.pageToken(integrationId).get()
    if (!token) continue
    try {
      const profile = await deps.meta.graph().userProfile(igsid, token)
      await deps.store.participants.upsert({ igAccountId, igsid, name: profile.name, username: profile.username, profilePicUrl: profile.profilePic, fetchedAt: now })
      deps.events.emit('inbox.changed', { conversationIds: result.conversationIds, newInbound: false })
    } catch (error) {
      // Consent not yet given (230) and the like: the conversation shows the IGSID until it is.
      deps.log.warn('customer profile not available', { reason: (error as { reason?: string }).reason ?? 'unknown' })
    }
  }
}
