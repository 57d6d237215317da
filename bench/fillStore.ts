// Gives a Parley data directory a large inbox before the browser host opens it: conversations and
// messages of one connected integration, normalised from the same webhook traffic ingest reads,
// and written through the store method ingest uses (in large batches, so filling takes seconds).
import { join } from 'node:path'
import { normalizeWebhookPayload, type MessageEvent } from '../src-main/core/inbox/inbound/index.ts'
import { LOCAL_AGENT } from '../src-main/core/contract/people.ts'
import { openStore, STORE_FILE_NAME } from '../src-main/core/store/index.ts'
import { generateTraffic, messagingItem } from './webhookEvents.ts'

const CHUNK = 10_000

export async function fillInbox(dataDir: string, target: { integrationId: string; igAccountId: string }, size: { conversations: number; messages: number }): Promise<void> {
  // Ending a minute ago, so reply windows and times look like a busy morning.
  const start = Date.now() - size.messages * 40 - 60_000
  const traffic = generateTraffic({ events: size.messages, conversations: size.conversations, accounts: [target.igAccountId], start, seed: 7 })
  const store = openStore(join(dataDir, STORE_FILE_NAME))
  try {
    for (let i = 0; i < traffic.events.length; i += CHUNK) {
      const chunk = traffic.events.slice(i, i + CHUNK)
      const payload = { object: 'instagram', entry: chunk.map((e) => ({ id: e.igAccountId, time: e.timestamp, messaging: [messagingItem(e)] })) }
      const events = normalizeWebhookPayload(payload).entries.flatMap((entry) => entry.events) as MessageEvent[]
      const { stored } = await store.messages.insertInbound(events.map((e) => ({
        conversation: {
          integrationId: target.integrationId, igAccountId: e.igAccountId, customerIgsid: e.customerIgsid,
          queueId: `default:${target.integrationId}`, assignedAgentId: LOCAL_AGENT, at: e.createdAt,
        },
        message: { mid: e.mid, direction: e.direction, kind: e.kind, text: e.text, attachments: e.attachments, replyToMid: e.replyToMid, storyId: e.storyId, createdAt: e.createdAt },
      })))
      if (stored.length !== chunk.length) throw new Error(`filling the inbox stored ${stored.length} of ${chunk.length} messages`)
    }
  } finally {
    store.close()
  }
}
