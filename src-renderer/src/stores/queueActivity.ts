import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { ConversationView, QueueActivityView, TransferTargets } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/**
 * R6: Queue activity as main last told it; main sends `routing.activity` on every change (no
 * polling). With it, the conversations waiting unassigned, which a supervisor may assign by hand.
 */
export const useQueueActivityStore = defineStore('queueActivity', () => {
  const { api } = inject(CONNECTION)!
  const activity = ref<QueueActivityView | null>(null)
  const waiting = ref<ConversationView[] | null>(null)
  const people = ref<TransferTargets['people']>([])
  // Bumped by every event: a reply to a request sent before an event is older than it, so dropped.
  let generation = 0
  let waitingAsked = 0

  api.on('routing.activity', (view) => {
    generation++
    activity.value = view
    // Every change of who waits comes with this event: follow it rather than ask on a timer.
    if (waiting.value) loadWaiting().catch(() => {})
  })

  async function load() {
    const asked = generation
    const view = await api.call('routing.activity')
    if (asked === generation) activity.value = view
  }

  /** Longest waiting first. */
  async function loadWaiting() {
    const asked = ++waitingAsked
    const page = await api.call('inbox.list', { limit: 100, view: 'unassigned' })
    if (asked !== waitingAsked) return
    waiting.value = page.items.filter((c) => c.routing === 'waiting').sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt))
  }

  async function loadPeople() {
    people.value = (await api.call('routing.transferTargets')).people
  }

  async function assign(conversationId: string, personId: string) {
    const row = await api.call('inbox.assign', { conversationId, personId })
    if (waiting.value && row.assignedTo) waiting.value = waiting.value.filter((c) => c.id !== conversationId)
    return row
  }

  return { activity, waiting, people, load, loadWaiting, loadPeople, assign }
})
