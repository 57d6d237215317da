// A3, A4, A9, A10: sending a reply. Every reply is checked (preflight, window), written to the
// durable outbox before any network call, and then moves only through the outbox's guarded states:
//   waiting → sending → sent | failed | ambiguous;  ambiguous → sent | waiting (reconciled);
//   failed → waiting (Retry).
// Offline or throttled, it stays "Waiting to send"; a maybe-sent reply is reconciled before it may
// go out again; the window is checked again whenever it is about to go out.
import { z } from 'zod'
import type { Logger } from '../../app/logger.ts'
import type { Problem } from '../../contract/integrations.ts'
import type { GraphClient } from '../../graph/index.ts'
import type { ContentProfile } from '../../integrations/contentProfiles.ts'
import { isStoreError, type OutboxItem, type SendProblem, type Store } from '../../store/index.ts'
import type { StagedFiles } from './attachments/attachmentService.ts'
import { stagedIdOf, stagedRef } from './attachments/stagedRef.ts'
import { bucketFor, createPacer, type Pacer } from './pacer.ts'
import { preflight } from './preflight.ts'
import { findSentReply, type ReconcileVerdict } from './reconcile.ts'
import { replyWindow } from './replyWindow.ts'
import { classifySendFailure } from './sendOutcome.ts'
import { findStuckReplies } from './stuckReplies.ts'

export type ReplyGraph = Pick<GraphClient, 'send' | 'conversations' | 'conversationMessages'>

export interface ReplySenderDeps {
  store: Store
  /** The Graph client of the current mode; null while Meta is not configured (replies wait). */
  graph: () => ReplyGraph | null
  /** The page token of an integration (from the keychain); null when it is deleted or has none. */
  pageToken: (integrationId: string) => Promise<string | null>
  /** The integration's content profile (S8), `DEFAULT_CONTENT_PROFILE` when none is chosen. */
  profileFor: (integrationId: string) => ContentProfile | Promise<ContentProfile>
  /** Epoch ms. Share it with the store, whose outbox timestamps are compared with it. */
  now: () => number
  log: Logger
  /** Every change of a reply's state, for the UI (A9, A10). */
  onChange?: (item: OutboxItem) => void
  /** Files staged for attachment replies: their address is made when the reply goes out (A4). */
  staged?: StagedFiles
  pacer?: Pacer
  /** How long after an ambiguous failure to wait before reconciling, so a request still in flight at Meta has landed. */
  settleMs?: number
  /** How far Meta's clock may differ from this one when matching a reply in the thread. */
  skewMs?: number
  /** Longest pause between flushes while Graph is unreachable. */
  maxBackoffMs?: number
  /** After an undetermined reconciliation, how long the flush leaves the reply alone (the Conversations API allows 2 calls/s). */
  recheckMs?: number
  /** Team server: this node, named in its claims, so that another node can tell when it died mid-send. */
  nodeId?: string
  /**
   * Team server: the nodes alive now. Before each flush, replies that dead nodes left mid-send become
   * ambiguous (reconciled before anything goes out again), and every node takes up ambiguous replies.
   */
  aliveNodes?: () => Promise<string[]>
}

const AttachmentFacts = {
  type: z.enum(['image', 'video', 'audio', 'file']),
  mimeType: z.string().min(1).max(255),
  sizeBytes: z.number().int().nonnegative(),
  name: z.string().max(1024).optional(),
}
const Attachment = z.union([
  /** A file already where Meta can fetch it (the Send API takes a URL). */
  z.strictObject({ ...AttachmentFacts, url: z.url() }),
  /** A file Parley staged: the outbox keeps its id, and its URL is made at send time. */
  z.strictObject({ ...AttachmentFacts, stagedId: z.string().min(1).max(200) }),
])

export const ReplyRequest = z.union([
  z.strictObject({ id: z.string().min(1).max(512), conversationId: z.string().min(1).max(512), text: z.string().max(100_000) }),
  z.strictObject({ id: z.string().min(1).max(512), conversationId: z.string().min(1).max(512), attachment: Attachment }),
])
export type ReplyRequest = z.input<typeof ReplyRequest>

export type SendResult = { ok: true; item: OutboxItem } | { ok: false; problems: Problem[] }

export type ReconcileResult = { item: OutboxItem; verdict: ReconcileVerdict['verdict'] | 'too_early' | 'not_ambiguous' | 'unreachable' }

export interface FlushSummary {
  sent: number
  failed: number
  ambiguous: number
  /** Replies still waiting after this flush (held behind an unresolved one, or Graph unreachable). */
  waiting: number
  reconciled: number
  /** Graph could not be reached (or throttled us): try again later. */
  unreachable: boolean
  retryAfterMs: number | null
}

interface Delivery {
  item: OutboxItem
  unreachable: boolean
  retryAfterMs: number | null
}

const UNSETTLED = new Set(['waiting', 'sending', 'ambiguous'])

const NO_STAGED_FILES: Problem = {
  code: 'attachment_missing',
  message: 'This Parley cannot serve attached files to Meta.',
  remedy: null,
}

const INTEGRATION_UNAVAILABLE: SendProblem = {
  code: 'integration_unavailable',
  message: 'This conversation’s integration has been deleted or has no Facebook login: the reply cannot be sent. Recreate the integration, then Retry.',
}

export function createReplySender(deps: ReplySenderDeps) {
  const { store, log, now } = deps
  const pacer = deps.pacer ?? createPacer()
  const settleMs = deps.settleMs ?? 60_000
  const skewMs = deps.skewMs ?? 120_000
  // A refused connection costs nothing; an agent waiting minutes after the network returns does.
  const maxBackoffMs = deps.maxBackoffMs ?? 30_000
  const recheckMs = deps.recheckMs ?? 300_000
  const undeterminedUntil = new Map<string, number>()
  const toReconcile = new Set<string>()
  const graphConversationIds = new Map<string, string>()
  let flushing: Promise<FlushSummary> | null = null
  let unreachableSince: number | null = null
  let lastProblem: SendProblem | null = null
  let loop: { intervalMs: number; delayMs: number; timer: NodeJS.Timeout | null } | null = null

  /** The reply no longer needs reconciling. */
  const forget = (id: string) => {
    toReconcile.delete(id)
    undeterminedUntil.delete(id)
  }

  /** Where Meta fetches a staged file now, or why it cannot. */
  const resolveStaged = (stagedId: string) => (deps.staged ? deps.staged.resolve(stagedId) : Promise.resolve({ problem: NO_STAGED_FILES }))

  /** A staged file is kept until its reply went out or was given up. */
  const releaseFile = (item: Pick<OutboxItem, 'attachment'> | null) => {
    const stagedId = item?.attachment ? stagedIdOf(item.attachment.url) : null
    if (stagedId === null || !deps.staged) return
    void deps.staged.release(stagedId).catch((error: unknown) => log.warn('staged attachment not removed', { error: error instanceof Error ? error.message : String(error) }))
  }

  const changed = (item: OutboxItem) => {
    if (item.state === 'ambiguous') toReconcile.add(item.id)
    if (item.state === 'sent') releaseFile(item)
    try {
      deps.onChange?.(item)
    } catch (error) {
      log.warn('outbox listener failed', { error: error instanceof Error ? error.message : String(error) })
    }
    return item
  }

  const mustGet = async (id: string) => {
    const item = await store.outbox.get(id)
    if (!item) throw new Error(`reply ${id} vanished from the outbox`)
    return item
  }

  /** An earlier reply of the same conversation is not settled: this one must not overtake it. */
  async function heldBehindEarlier(item: OutboxItem): Promise<boolean> {
    for (const other of await store.outbox.unsent(item.conversationId)) {
      if (other.id === item.id) return false
      if (UNSETTLED.has(other.state)) return true
    }
    return false
  }

  /** waiting → failed without a network call (the window closed, the integration is gone). */
  async function refuseWaiting(item: OutboxItem, problem: SendProblem): Promise<Delivery> {
    // The outbox has no waiting → failed move: claim first (it records no send, only the attempt).
    const claimed = await store.outbox.claim(item.id, { messagingType: 'RESPONSE', tag: null }, deps.nodeId)
    if (!claimed) return { item: await mustGet(item.id), unreachable: false, retryAfterMs: null }
    log.info('reply not sent', { replyId: item.id, code: problem.code })
    return { item: changed(await store.outbox.markFailed(item.id, problem)), unreachable: false, retryAfterMs: null }
  }

  /** One waiting reply, out now if Instagram still allows it. */
  async function deliver(id: string): Promise<Delivery> {
    const item = await mustGet(id)
    if (item.state !== 'waiting') return { item, unreachable: false, retryAfterMs: null }
    const conversation = await store.conversations.get(item.conversationId)
    if (!conversation) throw new Error(`conversation ${item.conversationId} of reply ${id} is missing`)
    const graph = deps.graph()
    if (!graph) return { item, unreachable: true, retryAfterMs: null }
    let token: string | null
    try {
      token = await deps.pageToken(conversation.integrationId)
    } catch (error) {
      // The keychain may be locked for a moment: the reply waits, nothing is lost.
      log.warn('page token unavailable', { integrationId: conversation.integrationId, error: error instanceof Error ? error.message : String(error) })
      return { item, unreachable: true, retryAfterMs: null }
    }
    if (token === null) return refuseWaiting(item, INTEGRATION_UNAVAILABLE)

    await pacer.take(conversation.igAccountId, bucketFor(item.attachment?.type ?? null))
    // A10: the window as it is now, not as it was when the agent pressed Send.
    const window = replyWindow(conversation.lastCustomerMessageAt, now())
    if (window.kind === 'closed') return refuseWaiting(item, { code: window.reason.code, message: `${window.reason.message} ${window.reason.remedy ?? ''}`.trim() })

    // A4: a staged file's address is made now, from where Meta reaches Parley now.
    let url = item.attachment?.url ?? null
    const stagedId = url === null ? null : stagedIdOf(url)
    if (stagedId !== null) {
      const resolved = await resolveStaged(stagedId)
      if ('problem' in resolved) return refuseWaiting(item, { code: resolved.problem.code, message: `${resolved.problem.message} ${resolved.problem.remedy ?? ''}`.trim() })
      url = resolved.url
    }

    const how = window.kind === 'standard' ? { messagingType: 'RESPONSE' as const } : { messagingType: 'MESSAGE_TAG' as const, tag: 'HUMAN_AGENT' as const }
    const claimed = await store.outbox.claim(id, how, deps.nodeId)
    if (!claimed) return { item: await mustGet(id), unreachable: false, retryAfterMs: null }
    changed(claimed)

    const content = claimed.text !== null
      ? { text: claimed.text }
      : { attachment: { type: claimed.attachment!.type, url: url! } }
    try {
      const result = await graph.send(token, { recipientId: conversation.customerIgsid, ...content, ...how })
      unreachableSince = null
      log.info('reply sent', { replyId: id, messagingType: window.messagingType })
      return { item: changed(await store.outbox.markSent(id, result.messageId, now())), unreachable: false, retryAfterMs: null }
    } catch (error) {
      const failure = classifySendFailure(error)
      lastProblem = failure.problem
      log.warn('reply not sent', { replyId: id, outcome: failure.outcome, code: failure.problem.code })
      if (failure.outcome === 'ambiguous') {
        return { item: changed(await store.outbox.markAmbiguous(id, failure.problem)), unreachable: false, retryAfterMs: null }
      }
      if (failure.outcome === 'failed') {
        return { item: changed(await store.outbox.markFailed(id, failure.problem)), unreachable: false, retryAfterMs: null }
      }
      // Certainly not sent: back to waiting (the outbox moves sending → waiting through failed).
      unreachableSince ??= now()
      await store.outbox.markFailed(id, failure.problem)
      return { item: changed(await store.outbox.retry(id)), unreachable: true, retryAfterMs: failure.retryAfterMs }
    }
  }

  async function reconcileItem(item: OutboxItem): Promise<ReconcileResult> {
    if (item.state !== 'ambiguous') {
      forget(item.id)
      return { item, verdict: 'not_ambiguous' }
    }
    if (now() - item.updatedAt < settleMs) return { item, verdict: 'too_early' }
    const conversation = await store.conversations.get(item.conversationId)
    if (!conversation) throw new Error(`conversation ${item.conversationId} of reply ${item.id} is missing`)
    const graph = deps.graph()
    let verdict: ReconcileVerdict
    try {
      const token = graph ? await deps.pageToken(conversation.integrationId) : null
      if (!graph || token === null) {
        // Without Graph only a stored echo can settle it; anything else must wait for evidence.
        verdict = await findSentReply(item, { store, graph: NO_GRAPH, pageToken: '', conversation, now: now(), skewMs, graphConversationIds })
      } else {
        verdict = await findSentReply(item, { store, graph, pageToken: token, conversation, now: now(), skewMs, graphConversationIds })
      }
    } catch (error) {
      log.warn('reconciliation could not reach Meta', { replyId: item.id, error: error instanceof Error ? error.message : String(error) })
      return { item, verdict: 'unreachable' }
    }
    if (verdict.verdict === 'sent') {
      forget(item.id)
      log.info('ambiguous reply found sent', { replyId: item.id, via: verdict.via })
      return { item: changed(await store.outbox.markSent(item.id, verdict.mid, verdict.at)), verdict: 'sent' }
    }
    if (verdict.verdict === 'not_sent') {
      forget(item.id)
      log.info('ambiguous reply found not sent: it goes out once', { replyId: item.id })
      return { item: changed(await store.outbox.markNotSent(item.id)), verdict: 'not_sent' }
    }
    undeterminedUntil.set(item.id, now() + recheckMs)
    log.warn('ambiguous reply undetermined', { replyId: item.id, why: verdict.why })
    return { item, verdict: 'undetermined' }
  }

  /** Team server: what dead nodes left mid-send, and what any node found ambiguous, is this node's to settle too. */
  async function takeUpOthersReplies(aliveNodes: () => Promise<string[]>): Promise<void> {
    const recovered = await store.outbox.recoverInterrupted({ aliveNodes: await aliveNodes() })
    if (recovered > 0) log.info('replies a stopped node left mid-send are checked before sending', { count: recovered })
    for (const item of await store.outbox.inState('ambiguous', 1000)) toReconcile.add(item.id)
  }

  async function runFlush(): Promise<FlushSummary> {
    const summary: FlushSummary = { sent: 0, failed: 0, ambiguous: 0, waiting: 0, reconciled: 0, unreachable: false, retryAfterMs: null }
    if (deps.aliveNodes) await takeUpOthersReplies(deps.aliveNodes)
    // First settle what may already have gone out: a reply found not sent is waiting again below.
    for (const id of [...toReconcile]) {
      const item = await store.outbox.get(id)
      if (!item) {
        forget(id)
        continue
      }
      if (now() < (undeterminedUntil.get(id) ?? 0)) continue
      const result = await reconcileItem(item).catch((error: unknown) => {
        // Another node settled it first (team server): its move stands, and this one is done with it.
        if (!isStoreError(error, 'outbox_conflict')) throw error
        forget(id)
        return null
      })
      if (!result) continue
      if (result.verdict === 'sent' || result.verdict === 'not_sent') summary.reconciled++
      if (result.verdict === 'unreachable') {
        summary.unreachable = true
        break
      }
    }
    const held = new Set<string>()
    const pending = summary.unreachable ? [] : await store.outbox.pending(1000)
    for (const item of pending) {
      if (held.has(item.conversationId) || (await heldBehindEarlier(item))) {
        held.add(item.conversationId)
        continue
      }
      const delivery = await deliver(item.id)
      const state = delivery.item.state
      if (state === 'sent') summary.sent++
      if (state === 'failed') summary.failed++
      if (state === 'ambiguous') summary.ambiguous++
      if (state !== 'sent' && state !== 'failed') held.add(item.conversationId)
      if (delivery.unreachable) {
        summary.unreachable = true
        summary.retryAfterMs = delivery.retryAfterMs
        break
      }
    }
    summary.waiting = (await store.outbox.pending(10_000)).length
    return summary
  }

  function schedule(delayMs: number) {
    if (!loop) return
    if (loop.timer) clearTimeout(loop.timer)
    loop.timer = setTimeout(() => void tick(), delayMs)
    loop.timer.unref?.()
  }

  async function tick() {
    if (!loop) return
    loop.timer = null
    let next = loop.intervalMs
    try {
      const summary = await flush()
      if (summary.unreachable) {
        // Back off while Graph is away, never hammering it; Meta's own wait wins when it names one.
        loop.delayMs = Math.min(maxBackoffMs, Math.max(loop.intervalMs, loop.delayMs * 2))
        next = Math.max(loop.delayMs, summary.retryAfterMs ?? 0)
      } else {
        loop.delayMs = loop.intervalMs
      }
    } catch (error) {
      log.error('outbox flush failed', { error: error instanceof Error ? error.message : String(error) })
    }
    if (loop && !loop.timer) schedule(next)
  }

  /** Sends what waits, in order, as soon as the running loop can. */
  const kick = () => schedule(0)

  function flush(): Promise<FlushSummary> {
    flushing ??= runFlush().finally(() => {
      flushing = null
    })
    return flushing
  }

  return {
    /**
     * A reply the agent sent (A3, A4). Refused with every reason when preflight or the window says
     * no (nothing is queued then). Otherwise durable in the outbox first, then sent; the item says
     * how it went. Sending the same `id` again returns the same reply, never a second message.
     */
    async send(input: ReplyRequest): Promise<SendResult> {
      const parsed = ReplyRequest.safeParse(input)
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(reply)'}: ${i.message}`).join('; ')
        return { ok: false, problems: [{ code: 'invalid_reply', message: `The reply is not valid: ${details}`, remedy: null }] }
      }
      const reply = parsed.data
      const text = 'text' in reply ? reply.text : null
      const given = 'attachment' in reply ? reply.attachment : null
      const stagedId = given && 'stagedId' in given ? given.stagedId : null
      const attachment = given
        ? { type: given.type, url: 'url' in given ? given.url : stagedRef(given.stagedId), mime: given.mimeType, size: given.sizeBytes, ...(given.name ? { name: given.name } : {}) }
        : null

      const existing = await store.outbox.get(reply.id)
      if (existing) {
        // The same Send again (a double click, a retried request): the stored reply, checked to be the same one.
        const { item } = await store.outbox.enqueue({ id: reply.id, conversationId: reply.conversationId, text, attachment })
        return { ok: true, item }
      }
      const conversation = await store.conversations.get(reply.conversationId)
      if (!conversation) return { ok: false, problems: [{ code: 'conversation_not_found', message: 'That conversation does not exist.', remedy: null }] }

      const problems: Problem[] = preflight(
        { text, attachment: 'attachment' in reply ? reply.attachment : null },
        await deps.profileFor(conversation.integrationId),
      )
      // The main process refuses too, whatever the composer showed (A3).
      const window = replyWindow(conversation.lastCustomerMessageAt, now())
      if (window.kind === 'closed') problems.push(window.reason)
      // A4: a file Meta could not fetch (no public address, the file gone) is refused now, not after queueing.
      if (stagedId !== null) {
        const resolved = await resolveStaged(stagedId)
        if ('problem' in resolved) problems.push(resolved.problem)
      }
      if (problems.length > 0) {
        log.info('reply refused', { conversationId: conversation.id, codes: problems.map((p) => p.code).join(',') })
        return { ok: false, problems }
      }

      const { item } = await store.outbox.enqueue({ id: reply.id, conversationId: reply.conversationId, text, attachment })
      changed(item)
      if (await heldBehindEarlier(item)) {
        kick()
        return { ok: true, item }
      }
      const wasUnreachable = unreachableSince !== null
      const delivery = await deliver(item.id)
      if (wasUnreachable && delivery.item.state === 'sent' && loop) {
        // Graph is back: send the backlog now rather than at the end of the backoff.
        loop.delayMs = loop.intervalMs
        kick()
      }
      return { ok: true, item: delivery.item }
    },

    /** A9 "Retry": a failed reply goes out again, once, if its window still allows it. */
    async retry(id: string): Promise<OutboxItem> {
      const item = changed(await store.outbox.retry(id))
      if (await heldBehindEarlier(item)) {
        kick()
        return item
      }
      return (await deliver(id)).item
    },

    /** The agent gives up on a waiting or failed reply. */
    async discard(id: string): Promise<boolean> {
      const item = await store.outbox.get(id)
      const discarded = await store.outbox.discard(id)
      if (discarded) releaseFile(item)
      return discarded
    },

    /**
     * Settles an ambiguous reply from evidence: found in the thread → sent (with its mid); proven
     * absent → waiting, to go out once; otherwise it stays ambiguous. Waits `settleMs` after the
     * failure first, so a request still in flight at Meta is not taken for lost.
     */
    async reconcile(itemOrId: OutboxItem | string): Promise<ReconcileResult> {
      const item = await mustGet(typeof itemOrId === 'string' ? itemOrId : itemOrId.id)
      return reconcileItem(item)
    },

    /**
     * When reconciliation cannot tell (a busy thread hides older messages' content), the agent
     * checks Instagram and confirms the reply is not there: it then goes out once.
     */
    async confirmNotSent(id: string): Promise<OutboxItem> {
      const item = changed(await store.outbox.markNotSent(id))
      forget(id)
      log.info('agent confirmed an ambiguous reply was not sent', { replyId: id })
      if (await heldBehindEarlier(item)) {
        kick()
        return item
      }
      return (await deliver(id)).item
    },

    /** Reconciles what is ambiguous, then sends what waits, oldest first. One flush at a time. */
    flush,

    /**
     * At start-up: replies a crash left mid-send become ambiguous (reconciled before anything goes
     * out again); then the outbox is flushed every `intervalMs`, backing off while Graph is away.
     */
    async start(intervalMs = 5_000): Promise<{ recovered: number }> {
      if (loop) return { recovered: 0 }
      // A node of a team recovers only dead nodes' replies, at every flush; a workstation all of its own, now.
      const recovered = deps.aliveNodes ? 0 : await store.outbox.recoverInterrupted()
      const stuck = await findStuckReplies(store)
      for (const item of stuck.ambiguous) toReconcile.add(item.id)
      // A crash between "not sent" and "waiting again" left it failed with a network reason: requeue it.
      for (const item of stuck.interruptedWaits) changed(await store.outbox.retry(item.id))
      if (recovered > 0) log.info('replies interrupted by a stop are checked before sending', { count: recovered })
      loop = { intervalMs, delayMs: intervalMs, timer: null }
      kick()
      return { recovered }
    },

    async stop(): Promise<void> {
      if (loop?.timer) clearTimeout(loop.timer)
      loop = null
      await flushing?.catch(() => undefined)
    },

    /** Whether Graph answered the last send (for an "offline" note), and the last reason a send failed. */
    status(): { unreachableSince: number | null; lastProblem: SendProblem | null; toReconcile: number } {
      return { unreachableSince, lastProblem, toReconcile: toReconcile.size }
    },
  }
}

export type ReplySender = ReturnType<typeof createReplySender>

/** Stands in for Graph when it is not configured: the conversation lookup then proves nothing. */
const NO_GRAPH = {
  conversations: () => Promise.reject(new Error('Graph is not configured')),
  conversationMessages: () => Promise.reject(new Error('Graph is not configured')),
} as unknown as ReplyGraph
