// A2, A5–A8: the one path from Meta's events into the store, for webhook payloads and poller pages
// alike. Messages are stored once by mid; unsends erase content; reactions and seen marks land on
// their messages. Each batch's messages are stored with their conversations in one transaction.
// Every stored change is reported.
import { WEBHOOK_RECEIVED } from '../../diagnostics/eventLog.ts'
import { describeError, type Logger } from '../../app/logger.ts'
import { isStoreError, type InboundMessage, type Store } from '../../store/index.ts'
import type { IntegrationDirectory, IntegrationTarget } from './directory.ts'
import type { InboundEvent, InboxChange, MessageEvent, ReactionEvent } from './events.ts'
import { normalizeWebhookPayload } from './normalizeWebhook.ts'
import { createProfileRefresher, type ProfileGraph } from './profiles.ts'
import { createSerialQueue } from './serial.ts'
import { applyStorySwitches } from './storySwitches.ts'

export interface IngestDeps {
  store: Store
  directory: IntegrationDirectory
  /** For customer profiles; null while Graph is not configured. */
  graph: () => ProfileGraph | null
  log: Logger
  now?: () => number
  onChange?: (change: InboxChange) => void
  /** Who a new conversation is assigned to: a workstation's one agent, or nobody (it waits in its queue, team server). */
  assignee?: string | null
}

export interface IngestReport {
  /** New messages stored. */
  stored: number
  /** Messages already stored (the other path, or Meta delivering twice). */
  duplicates: number
  /** Unsends, reactions and seen marks that changed something. */
  updated: number
  /** Events for accounts no integration uses, or switched off by S9. */
  dropped: number
  /** Malformed events, and events the store refused. */
  skipped: number
}

export type EventSource = 'webhook' | 'poller'

const pairKey = (event: MessageEvent) => `${event.igAccountId}\u0000${event.customerIgsid}`

const emptyReport = (): IngestReport => ({ stored: 0, duplicates: 0, updated: 0, dropped: 0, skipped: 0 })

export function createIngest(deps: IngestDeps) {
  const { store, log } = deps
  const now = deps.now ?? Date.now
  const queue = createSerialQueue()
  const profiles = createProfileRefresher({ store, graph: deps.graph, pageToken: (id) => deps.directory.pageToken(id), log, now })
  const background = new Set<Promise<unknown>>()
  const changed = (change: InboxChange) => {
    try {
      deps.onChange?.(change)
    } catch (error) {
      log.warn('an inbox change listener failed', { error: (error as Error)?.message ?? String(error) })
    }
  }

  async function applyBatch(events: InboundEvent[], source: EventSource): Promise<IngestReport> {
    const report = emptyReport()
    const routed: { event: InboundEvent; target: IntegrationTarget }[] = []
    const unknown = new Map<string, number>()
    await refreshIfUnknown(events)
    for (const event of events) {
      const target = deps.directory.byInstagramAccount(event.igAccountId)
      if (!target) {
        unknown.set(event.igAccountId, (unknown.get(event.igAccountId) ?? 0) + 1)
        report.dropped++
        continue
      }
      const kept = event.type === 'message' ? applyStorySwitches(event, target) : event
      if (kept) routed.push({ event: kept, target })
      else report.dropped++
    }
    for (const [igAccountId, count] of unknown) log.info('events for an Instagram account no integration uses were dropped', { igAccountId, count, source })

    const messages = routed.filter((r): r is { event: MessageEvent; target: IntegrationTarget } => r.event.type === 'message')
    if (messages.length > 0) await storeMessages(messages, report)
    for (const { event } of routed) if (event.type !== 'message') await applyUpdate(event, report, source)
    return report
  }

  /** An account not known here is looked up once more before its events are dropped. */
  async function refreshIfUnknown(events: InboundEvent[]) {
    if (!deps.directory.refresh || events.every((event) => deps.directory.byInstagramAccount(event.igAccountId))) return
    await deps.directory.refresh().catch((error: unknown) => log.warn('integrations could not be read again', describeError(error)))
  }

  async function storeMessages(messages: { event: MessageEvent; target: IntegrationTarget }[], report: IngestReport) {
    // A thread is created at its first message's time, whichever order the batch lists them in.
    const firstAt = new Map<string, number>()
    for (const { event } of messages) firstAt.set(pairKey(event), Math.min(firstAt.get(pairKey(event)) ?? Infinity, event.createdAt))
    const items = messages.map(({ event, target }): InboundMessage => ({
      conversation: {
        integrationId: target.integrationId, igAccountId: event.igAccountId, customerIgsid: event.customerIgsid,
        queueId: `default:${target.integrationId}`, assignedAgentId: deps.assignee ?? null, at: firstAt.get(pairKey(event))!,
      },
      message: {
        mid: event.mid, direction: event.direction, kind: event.kind, text: event.text,
        attachments: event.attachments, replyToMid: event.replyToMid, storyId: event.storyId, createdAt: event.createdAt,
      },
    }))
    const stored = await insertAll(items, report)
    for (const message of stored) changed({ conversationId: message.conversationId, mid: message.mid, kind: 'message' })

    // Cheap when the cached profile is fresh (one read); fetched in the background otherwise.
    const customers = new Map<string, { integrationId: string; igAccountId: string; igsid: string; conversationId: string }>()
    const byMid = new Map(messages.map((m) => [m.event.mid, m]))
    for (const { mid, conversationId } of stored) {
      const { event, target } = byMid.get(mid)!
      customers.set(conversationId, { integrationId: target.integrationId, igAccountId: event.igAccountId, igsid: event.customerIgsid, conversationId })
    }
    for (const customer of customers.values()) track(refreshProfile(customer))
  }

  /** The batch in one transaction; if the store refuses it, message by message so one bad row costs only itself. */
  async function insertAll(items: InboundMessage[], report: IngestReport): Promise<{ mid: string; conversationId: string }[]> {
    try {
      const { stored, duplicates } = await store.messages.insertInbound(items)
      report.stored += stored.length
      report.duplicates += duplicates
      return stored
    } catch (error) {
      if (!isStoreError(error, 'invalid_input')) throw error
    }
    const stored: { mid: string; conversationId: string }[] = []
    for (const item of items) {
      try {
        const outcome = await store.messages.insertInbound([item])
        report.stored += outcome.stored.length
        report.duplicates += outcome.duplicates
        stored.push(...outcome.stored)
      } catch (error) {
        if (!isStoreError(error, 'invalid_input')) throw error
        report.skipped++
        log.warn('a message was refused by the store and skipped', { reason: error.message.split(' — ')[0] })
      }
    }
    return stored
  }

  async function applyUpdate(event: Exclude<InboundEvent, MessageEvent>, report: IngestReport, source: EventSource) {
    let didChange: boolean
    if (event.type === 'reaction' && source === 'poller' && (await sameReaction(event))) {
      // The poller sees the same reactions every pass: only a different one is a change.
      didChange = false
    } else if (event.type === 'withdraw') {
      // Remembered even before the message arrives: a late delivery then stays empty (A6).
      didChange = (await store.messages.withdraw(event.mid, event.at)) === 'withdrawn'
    } else if (event.type === 'reaction') {
      didChange = await store.messages.react(event.mid, event.reaction, event.at)
    } else {
      didChange = (await store.messages.markSeen(event.mid, event.at)) > 0
    }
    if (!didChange) return
    report.updated++
    const message = await store.messages.get(event.mid)
    const kind = event.type === 'withdraw' ? 'withdrawn' : event.type
    if (message) changed({ conversationId: message.conversationId, mid: event.mid, kind })
  }

  async function sameReaction(event: ReactionEvent): Promise<boolean> {
    const stored = (await store.messages.get(event.mid))?.reaction ?? null
    return stored?.reaction === event.reaction?.reaction && (stored?.emoji ?? null) === (event.reaction?.emoji ?? null)
  }

  async function refreshProfile(customer: { integrationId: string; igAccountId: string; igsid: string; conversationId: string }) {
    if ((await profiles.refresh(customer)) === 'fetched') changed({ conversationId: customer.conversationId, mid: null, kind: 'profile' })
  }

  function track(task: Promise<unknown>) {
    background.add(task)
    void task.finally(() => background.delete(task))
  }

  return {
    /** A verified webhook payload. Throws only when the store failed (the receiver then answers 500). */
    webhook(payload: unknown): Promise<IngestReport> {
      const normalized = normalizeWebhookPayload(payload)
      for (const problem of normalized.problems) log.warn('a malformed webhook event was skipped', { problem })
      // T2/T4: every verified payload, redacted by the event log, so that it can be replayed.
      const instagram = normalized.entries.map((e) => e.igAccountId)
      log.info(WEBHOOK_RECEIVED, { instagram, events: normalized.entries.reduce((n, e) => n + e.events.length, 0), payload })
      return queue.run(async () => {
        const report = await applyBatch(normalized.entries.flatMap((e) => e.events), 'webhook')
        report.skipped += normalized.problems.length
        return report
      })
    },

    /** Events from another source (the poller), through the same path. */
    apply(events: InboundEvent[], source: EventSource = 'poller'): Promise<IngestReport> {
      return queue.run(() => applyBatch(events, source))
    },

    /** Resolves once queued batches and profile fetches they started are done (tests, shutdown). */
    async idle(): Promise<void> {
      await queue.run(async () => undefined)
      while (background.size > 0) await Promise.allSettled([...background])
    },
  }
}

export type Ingest = ReturnType<typeof createIngest>
