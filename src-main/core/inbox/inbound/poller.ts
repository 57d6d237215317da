// A2 without a public webhook endpoint, and backfill after downtime: reads the Conversations API
// newest first until it reaches conversations not updated since the last pass, and feeds each
// changed conversation's messages into the same ingest path as webhooks (so nothing is stored
// twice). Paced to 2 calls/s per Instagram account; backs off when Meta throttles anyway.
import type { Logger } from '../../app/logger.ts'
import { isGraphError, type GraphClient } from '../../graph/index.ts'
import type { Store } from '../../store/index.ts'
import type { IntegrationDirectory } from './directory.ts'
import type { MessageEvent, ReactionEvent } from './events.ts'
import type { Ingest } from './ingest.ts'
import { BASIC_POLL_MESSAGE_FIELDS, graphReactions, normalizeGraphMessage, POLL_MESSAGE_FIELDS } from './normalizeGraph.ts'
import { createTokenBucketPacer, type Pacer } from './pacer.ts'
import { createSyncCursors, SETTLE_MS } from './syncCursors.ts'
import { epochMsOf } from './values.ts'

export type PollGraph = Pick<GraphClient, 'conversations' | 'conversationMessages'>

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
  /** Tries per call, the first included. */
  maxAttempts: number
}

export const DEFAULT_POLL_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, maxAttempts: 6 }

export interface PollerDeps {
  store: Pick<Store, 'cursors'>
  graph: () => PollGraph | null
  directory: IntegrationDirectory
  /** The Instagram account ids to poll (those of the integrations in polling mode). */
  accounts: () => Iterable<string>
  ingest: Pick<Ingest, 'apply'>
  log: Logger
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  pacer?: Pacer
  backoff?: Partial<BackoffPolicy>
  /** Stops a first pass over a huge inbox; later passes only read what changed. */
  maxConversations?: number
  /** Conversations per list page. */
  pageSize?: number
}

export interface AccountPoll {
  igAccountId: string
  integrationId: string | null
  /** The pass reached the watermark (or the end) without an unfinished conversation. */
  complete: boolean
  conversationsListed: number
  conversationsRead: number
  messagesSeen: number
  stored: number
  duplicates: number
  /** Older than the 20 most recent: listed without details by Meta. */
  olderSkipped: number
  backoffs: number
  problem: string | null
}

/** Errors that concern the whole account, not one conversation: the pass stops. */
const ABORTING = new Set(['rate_limited', 'token_invalid', 'permission', 'network', 'not_configured'])

const sleeper = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createPoller(deps: PollerDeps) {
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? sleeper
  const pacer = deps.pacer ?? createTokenBucketPacer({ now, sleep })
  const backoff = { ...DEFAULT_POLL_BACKOFF, ...deps.backoff }
  const maxConversations = deps.maxConversations ?? 500
  const marks = createSyncCursors(deps.store.cursors, now)
  const { log } = deps

  /** One Graph call for an account: paced, and repeated after Meta's rate-limit answers. */
  async function call<T>(poll: AccountPoll, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await pacer.take(poll.igAccountId)
      try {
        return await request()
      } catch (error) {
        if (!isGraphError(error) || error.kind !== 'rate_limited' || attempt >= backoff.maxAttempts) throw error
        const wait = error.retryAfterMs ?? Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1))
        poll.backoffs++
        log.warn('Meta is throttling the poller; waiting before the next call', { igAccountId: poll.igAccountId, reason: error.reason, waitMs: wait })
        await sleep(wait)
      }
    }
  }

  async function pollAccount(igAccountId: string): Promise<AccountPoll> {
    const poll: AccountPoll = {
      igAccountId, integrationId: null, complete: false, conversationsListed: 0, conversationsRead: 0, messagesSeen: 0,
      stored: 0, duplicates: 0, olderSkipped: 0, backoffs: 0, problem: null,
    }
    const target = deps.directory.byInstagramAccount(igAccountId)
    if (!target) return { ...poll, problem: 'no integration uses this Instagram account' }
    poll.integrationId = target.integrationId
    const graph = deps.graph()
    if (!graph) return { ...poll, problem: 'Graph is not configured' }
    const token = await deps.directory.pageToken(target.integrationId)
    if (!token) return { ...poll, problem: 'the page token is missing' }

    try {
      await walk(poll, graph, token, target.integrationId, target.pageId)
    } catch (error) {
      // Throttled beyond the backoff, token or permission gone, offline: the next pass continues
      // from the cursors saved so far.
      poll.problem = isGraphError(error) ? error.reason : ((error as Error)?.message ?? String(error))
      log.warn('polling an Instagram account stopped early; it continues next pass', { igAccountId, reason: poll.problem })
    }
    return poll
  }

  async function walk(poll: AccountPoll, graph: PollGraph, token: string, integrationId: string, pageId: string) {
    const { igAccountId } = poll
    const watermark = await marks.watermark(integrationId)
    let newest = watermark
    let unfinished = false
    let after: string | undefined
    pages: for (;;) {
      const page = await call(poll, () => graph.conversations(pageId, token, { limit: deps.pageSize ?? 25, ...(after ? { after } : {}) }))
      for (const conversation of page.items) {
        const updatedMs = epochMsOf(conversation.updatedTime)
        // Past the last pass's newest (with the same margin that marks a conversation settled).
        if (watermark && updatedMs !== null && updatedMs < watermark.ms - SETTLE_MS) break pages
        poll.conversationsListed++
        if (conversation.updatedTime && updatedMs !== null && (!newest || updatedMs > newest.ms)) newest = { text: conversation.updatedTime, ms: updatedMs }
        const mark = await marks.conversation(integrationId, conversation.id)
        if (mark && mark.settled && mark.updatedTime === conversation.updatedTime) continue
        try {
          await readConversation(poll, graph, token, conversation.id)
          if (conversation.updatedTime) await marks.setConversation(integrationId, conversation.id, conversation.updatedTime)
        } catch (error) {
          if (isGraphError(error) && ABORTING.has(error.kind)) throw error
          // One unreadable conversation does not stop the others; it is read again next pass.
          unfinished = true
          log.warn('a conversation could not be read and is left for the next pass', { igAccountId, reason: isGraphError(error) ? error.reason : (error as Error)?.name })
        }
        if (poll.conversationsListed >= maxConversations) {
          log.info('the poller read as many conversations as one pass allows; older ones wait', { igAccountId, maxConversations })
          unfinished = true
          break pages
        }
      }
      if (page.nextCursor === null) break
      after = page.nextCursor
    }
    // The watermark moves only after a complete pass, so nothing between it and now is skipped.
    if (!unfinished && newest) await marks.setWatermark(integrationId, newest.text)
    poll.complete = !unfinished
  }

  // Shares, reactions and is_unsupported are unverified for Instagram: if Meta refuses to know them,
  // ask for the basic fields from then on rather than lose every message.
  let fields = POLL_MESSAGE_FIELDS
  async function readMessages(poll: AccountPoll, graph: PollGraph, token: string, conversationId: string) {
    try {
      return await call(poll, () => graph.conversationMessages(conversationId, token, { fields }))
    } catch (error) {
      if (fields === BASIC_POLL_MESSAGE_FIELDS || !isGraphError(error) || error.kind !== 'invalid_parameter') throw error
      log.warn('Meta refused the extra message fields; the poller asks for the basic ones from now on', { reason: error.reason })
      fields = BASIC_POLL_MESSAGE_FIELDS
      return call(poll, () => graph.conversationMessages(conversationId, token, { fields }))
    }
  }

  async function readConversation(poll: AccountPoll, graph: PollGraph, token: string, conversationId: string) {
    // Only the first page: past the 20 most recent, Meta lists ids without details anyway.
    const page = await readMessages(poll, graph, token, conversationId)
    poll.conversationsRead++
    const events: MessageEvent[] = []
    const reactions: ReactionEvent[] = []
    for (const message of page.items) {
      const outcome = normalizeGraphMessage(message, poll.igAccountId)
      if ('event' in outcome) {
        events.push(outcome.event)
        reactions.push(...graphReactions(message, poll.igAccountId))
      } else if ('skipped' in outcome) poll.olderSkipped++
      else log.warn('a malformed message from the Conversations API was skipped', { problem: outcome.problem })
    }
    poll.messagesSeen += events.length
    // Oldest first, so the thread's counters move in the order the customer wrote; reactions after
    // their messages (ingest stores a batch's messages before it applies its updates).
    const report = await deps.ingest.apply([...events.reverse(), ...reactions.reverse()], 'poller')
    poll.stored += report.stored
    poll.duplicates += report.duplicates
  }

  let running: Promise<AccountPoll[]> | null = null
  let timer: NodeJS.Timeout | null = null
  let started = false

  async function pollAll(): Promise<AccountPoll[]> {
    const results: AccountPoll[] = []
    for (const igAccountId of deps.accounts()) results.push(await pollAccount(igAccountId))
    return results
  }

  const poller = {
    /** One pass over every account; a pass already running is joined, not doubled. */
    pollOnce(): Promise<AccountPoll[]> {
      running ??= pollAll().finally(() => (running = null))
      return running
    },

    /** Polls now and then every `intervalMs` after a pass ends. */
    start(intervalMs: number): void {
      if (started) return
      started = true
      const tick = () => {
        void poller
          .pollOnce()
          .catch((error: unknown) => log.error('a polling pass failed', { error: (error as Error)?.message ?? String(error) }))
          .finally(() => {
            if (started) timer = setTimeout(tick, intervalMs)
          })
      }
      tick()
    },

    /** Stops the schedule and waits for a running pass. */
    async stop(): Promise<void> {
      started = false
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => undefined)
    },
  }
  return poller
}

export type Poller = ReturnType<typeof createPoller>
