import { defineStore } from 'pinia'
import { inject, ref, shallowRef } from 'vue'
import { INBOX_PAGE_SIZE } from '../../../src-main/core/contract/boot.ts'
import type { CommandInput, ConversationView, InboxPage, InboxScope } from '../../../src-main/core/contract/index.ts'
import { onConnected } from '../api/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** `inbox.conversations` takes at most this many ids per call. */
const MAX_IDS_PER_CALL = 200

/** Newest activity first, as main sorts them. */
const sortsBefore = (a: ConversationView, b: ConversationView) =>
  a.lastActivityAt > b.lastActivityAt || (a.lastActivityAt === b.lastActivityAt && a.id > b.id)

function insertionIndex(rows: ConversationView[], row: ConversationView): number {
  let low = 0
  let high = rows.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (sortsBefore(rows[middle]!, row)) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * A1: the agent's conversations, newest activity first, paged with `inbox.list` as the person
 * scrolls, and kept current by `inbox.changed`. Rows are plain objects in a shallow array:
 * 10,000 conversations are replaced, never deeply observed.
 */
export const useInboxStore = defineStore('inbox', () => {
  const connection = inject(CONNECTION)!
  const { api } = connection
  const items = shallowRef<ConversationView[]>([])
  const nextCursor = ref<string | null>(null)
  const total = ref(0)
  const loaded = ref(false)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<unknown>(null)
  /** P5: which conversations (a supervisor on a team server may choose; main's default otherwise). */
  const view = ref<InboxScope | undefined>(undefined)
  const scoped = () => (view.value ? { view: view.value } : {})
  // A full reload drops the answers of pages asked for before it.
  let generation = 0
  /** The refresh started by the latest `inbox.changed` (notifications wait for it to name the sender). */
  let refreshing: Promise<void> = Promise.resolve()

  api.on('inbox.changed', ({ conversationIds }) => {
    refreshing = refresh(conversationIds).catch(() => {})
  })
  // Changes announced while the window was not connected (or before it first was, when the page
  // came with its first page of conversations) were missed: the first page again.
  onConnected(connection, () => {
    if (loaded.value && !loading.value) void load()
  })

  /** The first page; the rows on screen stay as they are when it brings nothing new. */
  async function load() {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await api.call('inbox.list', { limit: INBOX_PAGE_SIZE, ...scoped() })
      if (mine !== generation) return
      if (!sameFirstPage(page)) {
        items.value = page.items
        nextCursor.value = page.nextCursor
      }
      total.value = page.total
      loaded.value = true
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** The next page, once; calls while one is on its way are ignored. */
  async function loadMore() {
    if (!nextCursor.value || loadingMore.value || loading.value) return
    const mine = generation
    loadingMore.value = true
    error.value = null
    try {
      const page = await api.call('inbox.list', { after: nextCursor.value, limit: INBOX_PAGE_SIZE, ...scoped() })
      if (mine !== generation) return
      const known = new Set(items.value.map((c) => c.id))
      items.value = [...items.value, ...page.items.filter((c) => !known.has(c.id))]
      nextCursor.value = page.nextCursor
      total.value = page.total
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      loadingMore.value = false
    }
  }

  /**
   * After `inbox.changed`: the changed rows, fetched by id, each moved to where its activity puts it.
   * A row that now sorts below everything loaded so far waits for the page it belongs to.
   */
  async function refresh(changed: string[]) {
    if (!loaded.value || !changed.length) return
    const mine = generation
    const ids = [...new Set(changed)]
    const fetched: ConversationView[] = []
    let newTotal = total.value
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
      const answer = await api.call('inbox.conversations', { ids: ids.slice(i, i + MAX_IDS_PER_CALL), ...scoped() })
      fetched.push(...answer.items)
      newTotal = answer.total
    }
    if (mine !== generation) return
    const gone = new Set(ids)
    const rows = items.value.filter((c) => !gone.has(c.id))
    const last = rows.at(-1)
    for (const row of fetched) {
      if (nextCursor.value && last && sortsBefore(last, row)) continue
      rows.splice(insertionIndex(rows, row), 0, row)
    }
    items.value = rows
    total.value = newTotal
  }

  /** Whether the rows shown start with exactly this page (and were not scrolled further than it). */
  function sameFirstPage(page: InboxPage): boolean {
    return (
      loaded.value &&
      items.value.length === page.items.length &&
      nextCursor.value === page.nextCursor &&
      JSON.stringify(items.value) === JSON.stringify(page.items)
    )
  }

  function byId(id: string) {
    return items.value.find((c) => c.id === id)
  }

  /** A row as the thread saw it (newer than the list's copy): replaced in place. */
  function put(conversation: ConversationView) {
    const index = items.value.findIndex((c) => c.id === conversation.id)
    if (index < 0) return
    const next = items.value.slice()
    next[index] = conversation
    items.value = next
  }

  function markedRead(id: string) {
    const row = byId(id)
    if (row && row.unreadCount !== 0) put({ ...row, unreadCount: 0 })
  }

  /** P5 Assign to… (supervisors): main answers with the row as it now is. */
  async function assign(conversationId: string, personId: string | null): Promise<ConversationView> {
    const row = await api.call('inbox.assign', { conversationId, personId })
    put(row)
    return row
  }

  /** R5: a blind transfer; the conversation leaves its holder at once. */
  async function transfer(conversationId: string, to: CommandInput<'inbox.transfer'>['to']): Promise<void> {
    await api.call('inbox.transfer', { conversationId, to })
  }

  /** R5: ends the conversation (with its wrap-up code); the holder's capacity frees. */
  async function end(conversationId: string, wrapUpCode: string | null): Promise<ConversationView> {
    const row = await api.call('inbox.end', { conversationId, wrapUpCode })
    put(row)
    return row
  }

  /** Shows another scope, from the top. */
  function show(scope: InboxScope) {
    if (view.value === scope) return
    view.value = scope
    void load()
  }

  return {
    items,
    view,
    show,
    assign,
    transfer,
    end,
    transferTargets: () => api.call('routing.transferTargets'),
    nextCursor,
    total,
    loaded,
    loading,
    loadingMore,
    error,
    load,
    loadMore,
    refresh,
    byId,
    put,
    markedRead,
    whenRefreshed: () => refreshing,
  }
})
