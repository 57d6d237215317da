import type { Logger } from '../../app/logger.ts'
import type { NewMessage, Store } from '../../store/index.ts'
import { LOCAL_AGENT } from '../inboxService.ts'

/** The integration an Instagram account belongs to, as ingest needs it. */
export interface IngestTarget {
  integrationId: string
  storyMentions: boolean
  storyReplies: boolean
}

export interface IngestDeps {
  store: Store
  /** `entry[].id` is the Instagram account id (not the Page's). */
  integrationFor: (igAccountId: string) => IngestTarget | null
  log: Logger
}

export interface IngestResult {
  conversationIds: string[]
  /** A customer wrote something new (for notifications). */
  newInbound: boolean
  /** Customers seen in this payload, per Instagram account: whose profiles may need fetching. */
  customers: { integrationId: string; igAccountId: string; igsid: string }[]
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/**
 * A2, A5–A8: one path for everything Meta reports (webhook `messaging` and `standby` entries).
 * Each message is stored once by mid; unsends erase content; echoes, reactions and seen marks are
 * kept. Story mentions keep no media URL. Malformed events are skipped with a warning.
 */
export async function ingestPayload(payload: unknown, deps: IngestDeps): Promise<IngestResult> {
  const result: IngestResult = { conversationIds: [], newInbound: false, customers: [] }
  const entries = isObject(payload) && Array.isArray(payload.entry) ? payload.entry : []
  for (const entry of entries) {
    const igAccountId = isObject(entry) ? str(entry.id) : null
    const target = igAccountId ? deps.integrationFor(igAccountId) : null
    if (!igAccountId || !target) {
      deps.log.warn('webhook entry for an Instagram account no integration uses: ignored')
      continue
    }
    const events = [...(Array.isArray(entry.messaging) ? entry.messaging : []), ...(Array.isArray(entry.standby) ? entry.standby : [])]
    for (const event of events) {
      try {
        await ingestEvent(event, igAccountId, target, deps, result)
      } catch (error) {
        deps.log.warn('a webhook event could not be stored and was skipped', { error: (error as Error).message })
      }
    }
  }
  return result
}

async function ingestEvent(event: unknown, igAccountId: string, target: IngestTarget, deps: IngestDeps, result: IngestResult) {
  if (!isObject(event) || !isObject(event.sender) || !isObject(event.recipient)) throw new Error('event without sender and recipient')
  const timestamp = typeof event.timestamp === 'number' ? event.timestamp : Number.NaN
  if (!Number.isFinite(timestamp)) throw new Error('event without an epoch-ms timestamp')
  const { store } = deps
  const touched = async (mid: string) => {
    const stored = await store.messages.get(mid)
    if (stored) result.conversationIds.push(stored.conversationId)
  }

  if (isObject(event.reaction) && str(event.reaction.mid)) {
    const reaction = event.reaction.action === 'unreact' ? null : { reaction: str(event.reaction.reaction) ?? 'other', emoji: str(event.reaction.emoji) }
    if (await store.messages.react(event.reaction.mid as string, reaction, timestamp)) await touched(event.reaction.mid as string)
    return
  }
  if (isObject(event.read) && str(event.read.mid)) {
    if (await store.messages.markSeen(event.read.mid as string, timestamp)) await touched(event.read.mid as string)
    return
  }
  if (!isObject(event.message) || !str(event.message.mid)) return
  const message = event.message
  const mid = message.mid as string
  if (message.is_deleted === true) {
    if ((await store.messages.withdraw(mid, timestamp)) === 'withdrawn') await touched(mid)
    return
  }

  const echo = message.is_echo === true
  const customer = str(echo ? event.recipient.id : event.sender.id)
  if (!customer) throw new Error('event without a customer id')
  const attachments = Array.isArray(message.attachments) ? message.attachments.filter(isObject) : []
  const storyMention = attachments.some((a) => a.type === 'story_mention')
  const story = isObject(message.reply_to) && isObject(message.reply_to.story) ? message.reply_to.story : null
  if (storyMention && !target.storyMentions) return

  const { conversation } = await store.conversations.upsertForInbound({
    integrationId: target.integrationId,
    igAccountId,
    customerIgsid: customer,
    queueId: `default:${target.integrationId}`,
    assignedAgentId: LOCAL_AGENT,
    at: timestamp,
  })
  const text = str(message.text)
  const kept = attachments.map((a) => ({ type: String(a.type), url: isObject(a.payload) ? str(a.payload.url) : null }))
  const newMessage: NewMessage = {
    mid,
    conversationId: conversation.id,
    direction: echo ? 'echo' : 'inbound',
    createdAt: timestamp,
    replyToMid: isObject(message.reply_to) ? str(message.reply_to.mid) : null,
    ...(storyMention
      ? // A5: the media stays with Meta; the viewer asks for it when the agent opens it.
        { kind: 'story_mention' as const, text: null, attachments: null }
      : story && target.storyReplies
        ? { kind: 'story_reply' as const, text, storyId: str(story.id), attachments: null }
        : message.is_unsupported === true
          ? { kind: 'unsupported' as const, text: null, attachments: null }
          : kept.length
            ? { kind: kept.some((a) => a.type === 'ephemeral') ? ('ephemeral' as const) : ('attachment' as const), text, attachments: kept }
            : { kind: 'text' as const, text, attachments: null }),
  }
  const outcome = await store.messages.insertIfNew(newMessage)
  if (outcome.inserted) {
    result.conversationIds.push(conversation.id)
    if (!echo) result.newInbound = true
  }
  result.customers.push({ integrationId: target.integrationId, igAccountId, igsid: customer })
}
