import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { QueueActivityView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** R6: Queue activity as main last told it; main sends `routing.activity` on every change (no polling). */
export const useQueueActivityStore = defineStore('queueActivity', () => {
  const { api } = inject(CONNECTION)!
  const activity = ref<QueueActivityView | null>(null)
  // Bumped by every event: a reply to a request sent before an event is older than it, so dropped.
  let generation = 0

  api.on('routing.activity', (view) => {
    generation++
    activity.value = view
  })

  async function load() {
    const asked = generation
    const view = await api.call('routing.activity')
    if (asked === generation) activity.value = view
  }

  return { activity, load }
})
