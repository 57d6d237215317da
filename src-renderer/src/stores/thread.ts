import { defineStore } from 'pinia'
import { computed, inject, reactive, ref, shallowRef } from 'vue'
import type { ConversationView, MessageView, OutboxView, Problem, StagedAttachmentView, ThreadView } from '../../../src-main/core/contract/index.ts'
import { createAttachmentPicker } from '../api/attachments.ts'
import { problemFromError } from '../inboxFormat.ts'
import { CONNECTION } from '../injectionKeys.ts'
import { useInboxStore } from './inbox.ts'

/** Messages asked for at a time when opening a thread or scrolling up. */
export const THREAD_PAGE_SIZE = 50

export type SendOutcome = 'sent' | 'queued' | 'failed'
export interface StoryState {
  opening: boolean
  opened: boolean
  problem: Problem | null
}

const time = (iso: string) => Date.parse(iso) || 0
/** Oldest first; a message Parley already holds is replaced by its newer copy (reactions, seen, unsend). */
export function mergeMessages(current: readonly MessageView[], incoming: readonly MessageView[]): MessageView[] {
  const byMid = new Map(current.map((m) => [m.mid, m]))
  for (const message of incoming) byMid.set(message.mid, message)
  return [...byMid.values()].sort((a, b) => time(a.createdAt) - time(b.createdAt))
}

/**
 * The open conversation (A1–A10): its messages (oldest first, older pages on demand), its outbox,
 * the composer's state and a draft per conversation, kept current by `inbox.changed` and
 * `outbox.changed`. Replies that arrive for a conversation no longer open are dropped.
 */
export const useThreadStore = defineStore('thread', () => {
  const connection = inject(CONNECTION)!
  const { api } = connection
  const picker = createAttachmentPicker(connection)
  const inbox = useInboxStore()
  const conversationId = ref<string | null>(null)
  const conversation = ref<ConversationView | null>(null)
  const messages = shallowRef<MessageView[]>([])
  const nextCursor = ref<string | null>(null)
  const outbox = ref<OutboxView[]>([])
  const composer = ref<ThreadView['composer'] | null>(null)
  /** R1–R5: its queue, who is offered it, and every routing step so far. */
  const routing = ref<ThreadView['routing'] | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  const loadingOlder = ref(false)
  const olderError = ref<unknown>(null)
  /** Drafts by conversation: switching conversations keeps what was written. */
  const drafts = reactive<Record<string, string>>({})
  const sending = ref(false)
  /** A4: the file staged per conversation (shown as a chip), kept like the draft. */
  const attachments = reactive<Record<string, StagedAttachmentView>>({})
  const picking = ref(false)
  /** Why the last file picked was not taken (too large, not an image/video/audio/PDF). */
  const attachProblem = ref<Problem | null>(null)
  const sendProblem = ref<Problem | null>(null)
  const sendOutcome = ref<SendOutcome | null>(null)
  const stories = reactive<Record<string, StoryState>>({})
  /** New inbound messages seen by the latest refresh (for the live region), with a counter so repeats are spoken. */
  const arrivals = ref<{ seq: number; messages: MessageView[] }>({ seq: 0, messages: [] })
  // Bumped by every open: answers for an earlier conversation are dropped.
  let request = 0

  const draft = computed({
    get: () => (conversationId.value ? (drafts[conversationId.value] ?? '') : ''),
    set: (text: string) => {
      if (conversationId.value) drafts[conversationId.value] = text
    },
  })

  api.on('inbox.changed', ({ conversationIds }) => {
    if (conversationId.value && conversationIds.includes(conversationId.value)) void refresh().catch(() => {})
  })

  api.on('outbox.changed', (item) => {
    if (item.conversationId !== conversationId.value) return
    putOutbox(item)
    // A sent reply leaves the outbox and shows in the thread.
    if (item.state === 'sent') void refresh().catch(() => {})
  })

  function putOutbox(item: OutboxView) {
    const rest = outbox.value.filter((o) => o.id !== item.id)
    outbox.value = item.state === 'sent' ? rest : [...rest, item].sort((a, b) => time(a.createdAt) - time(b.createdAt))
  }

  function applyHead(view: ThreadView) {
    conversation.value = view.conversation
    composer.value = view.composer
    routing.value = view.routing
    outbox.value = view.outbox.filter((o) => o.state !== 'sent')
    inbox.put(view.conversation)
  }

  async function open(id: string) {
    const mine = ++request
    conversationId.value = id
    conversation.value = null
    messages.value = []
    nextCursor.value = null
    outbox.value = []
    composer.value = null
    routing.value = null
    error.value = null
    olderError.value = null
    sendProblem.value = null
    sendOutcome.value = null
    attachProblem.value = null
    loading.value = true
    try {
      const view = await api.call('inbox.thread', { conversationId: id, limit: THREAD_PAGE_SIZE })
      if (mine !== request) return
      applyHead(view)
      messages.value = mergeMessages([], view.messages)
      nextCursor.value = view.nextCursor
      void markRead()
    } catch (e) {
      if (mine === request) error.value = e
    } finally {
      if (mine === request) loading.value = false
    }
  }

  function close() {
    request++
    conversationId.value = null
    conversation.value = null
    messages.value = []
  }

  async function loadOlder() {
    const id = conversationId.value
    if (!id || !nextCursor.value || loadingOlder.value) return
    const mine = request
    loadingOlder.value = true
    olderError.value = null
    try {
      const view = await api.call('inbox.thread', { conversationId: id, before: nextCursor.value, limit: THREAD_PAGE_SIZE })
      if (mine !== request) return
      messages.value = mergeMessages(messages.value, view.messages)
      nextCursor.value = view.nextCursor
    } catch (e) {
      if (mine === request) olderError.value = e
    } finally {
      loadingOlder.value = false
    }
  }

  /** The newest page again, merged into what is shown; new inbound messages are announced and read. */
  async function refresh() {
    const id = conversationId.value
    if (!id || loading.value) return
    const mine = request
    const view = await api.call('inbox.thread', { conversationId: id, limit: THREAD_PAGE_SIZE })
    if (mine !== request) return
    const known = new Set(messages.value.map((m) => m.mid))
    const arrived = view.messages.filter((m) => m.direction === 'inbound' && !known.has(m.mid)).reverse()
    applyHead(view)
    messages.value = mergeMessages(messages.value, view.messages)
    // Older pages keep their own cursor; only a thread that was empty takes this one.
    if (!known.size) nextCursor.value = view.nextCursor
    if (arrived.length) {
      arrivals.value = { seq: arrivals.value.seq + 1, messages: arrived }
      void markRead()
    }
  }

  async function markRead() {
    const id = conversationId.value
    if (!id) return
    try {
      await api.call('inbox.markRead', { conversationId: id })
      if (conversation.value?.id === id) conversation.value = { ...conversation.value, unreadCount: 0 }
      inbox.markedRead(id)
    } catch {
      // Unread counts are a convenience: the next open marks it again.
    }
  }

  const attachment = computed(() => (conversationId.value ? (attachments[conversationId.value] ?? null) : null))

  /** A4: the person picks a file; main stages it and says whether it can be sent. */
  async function pickAttachment(): Promise<boolean> {
    const id = conversationId.value
    if (!id || picking.value) return false
    attachProblem.value = null
    try {
      const result = await picker.pick(id, () => (picking.value = true))
      if (!result) return false
      if ('problem' in result) {
        attachProblem.value = result.problem
        return false
      }
      const previous = attachments[id]
      attachments[id] = result.attachment
      if (previous) void api.call('inbox.discardAttachment', { id: previous.id }).catch(() => {})
      return true
    } catch (e) {
      attachProblem.value = problemFromError(e)
      return false
    } finally {
      picking.value = false
    }
  }

  async function removeAttachment() {
    const id = conversationId.value
    const current = id ? attachments[id] : undefined
    attachProblem.value = null
    if (!id || !current) return
    delete attachments[id]
    // Main deletes its copy; if that fails, it goes at the next start anyway.
    await api.call('inbox.discardAttachment', { id: current.id }).catch(() => {})
  }

  /** Main's refusal. Preflight codes name values only main's text carries: keep main's words for them. */
  function refusalOf(error: unknown): Problem {
    const problem = problemFromError(error)
    return /^attachment_(over|not_in|not_supported)/.test(problem.code) ? { ...problem, code: 'attachment_refused' } : problem
  }

  /**
   * Sends what the composer holds. Instagram takes a text or one file per message, so a staged file
   * goes first as a reply of its own, then the text. The draft is cleared only once main has taken
   * the reply (sent or waiting in the outbox) and only if it was not changed meanwhile; on failure
   * it stays (A3, A9). The file's chip goes once main holds the reply (a failed one has Retry).
   */
  async function send(text: string): Promise<SendOutcome> {
    const id = conversationId.value
    if (!id || sending.value) return 'failed'
    sending.value = true
    sendProblem.value = null
    sendOutcome.value = null
    const failed = (item: OutboxView): SendOutcome => {
      sendProblem.value = item.problem ?? { code: 'send_failed', message: 'The reply was not sent.', remedy: null }
      return (sendOutcome.value = 'failed')
    }
    try {
      const file = attachments[id]
      let item: OutboxView | null = null
      if (file) {
        item = await api.call('inbox.send', { id: crypto.randomUUID(), conversationId: id, attachmentId: file.id })
        if (item.conversationId === conversationId.value) putOutbox(item)
        if (attachments[id]?.id === file.id) delete attachments[id]
        if (item.state === 'failed') return failed(item)
      }
      if (!file || text.trim()) {
        item = await api.call('inbox.send', { id: crypto.randomUUID(), conversationId: id, text })
        if (item.conversationId === conversationId.value) putOutbox(item)
        if (item.state === 'failed') return failed(item)
        if (drafts[id] === text) drafts[id] = ''
      }
      if (item!.state === 'sent') void refresh().catch(() => {})
      return (sendOutcome.value = item!.state === 'sent' ? 'sent' : 'queued')
    } catch (e) {
      sendProblem.value = refusalOf(e)
      return (sendOutcome.value = 'failed')
    } finally {
      sending.value = false
    }
  }

  async function retry(outboxId: string): Promise<OutboxView> {
    const item = await api.call('inbox.retry', { id: outboxId })
    putOutbox(item)
    // The same text still in the Reply box would be sent a second time by hand: it went out now.
    if (item.state !== 'failed' && item.text !== null && drafts[item.conversationId] === item.text) drafts[item.conversationId] = ''
    if (item.state !== 'failed' && sendProblem.value) sendProblem.value = null
    return item
  }

  /** Gives up on a reply; its text comes back into the Reply box when the box is empty. */
  async function discard(outboxId: string): Promise<'restored' | 'discarded'> {
    const item = outbox.value.find((o) => o.id === outboxId)
    await api.call('inbox.discard', { id: outboxId })
    outbox.value = outbox.value.filter((o) => o.id !== outboxId)
    if (item?.text && !(drafts[item.conversationId] ?? '').trim()) {
      drafts[item.conversationId] = item.text
      return 'restored'
    }
    return 'discarded'
  }

  async function openStory(mid: string) {
    stories[mid] = { opening: true, opened: false, problem: null }
    try {
      const result = await api.call('inbox.openStory', { mid })
      stories[mid] = { opening: false, opened: result.opened, problem: result.opened ? null : (result.problem ?? { code: 'story.unavailable', message: 'The story could not be opened.', remedy: null }) }
    } catch (e) {
      stories[mid] = { opening: false, opened: false, problem: problemFromError(e) }
    }
  }

  /** The open conversation was handed to someone else (Assign to…): its header follows. */
  function assigned(row: ConversationView) {
    if (conversation.value?.id === row.id) conversation.value = { ...conversation.value, assignedTo: row.assignedTo }
  }

  return {
    assigned,
    conversationId,
    conversation,
    routing,
    messages,
    nextCursor,
    outbox,
    composer,
    loading,
    error,
    loadingOlder,
    olderError,
    draft,
    drafts,
    sending,
    sendProblem,
    sendOutcome,
    stories,
    arrivals,
    open,
    close,
    loadOlder,
    refresh,
    markRead,
    send,
    attachments,
    attachment,
    picking,
    attachProblem,
    pickAttachment,
    removeAttachment,
    retry,
    discard,
    openStory,
  }
})
