import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { ChoosablePresence, PresenceView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** R2: this person's presence and Auto-answer, kept current by `presence.changed` (Parley sets Not responding). */
export const usePresenceStore = defineStore('presence', () => {
  const { api, onConnection } = inject(CONNECTION)!
  const view = ref<PresenceView | null>(null)

  // Supervisors hear every agent's changes: keep only this person's.
  api.on('presence.changed', (next) => {
    if (!view.value || next.personId === view.value.personId) view.value = next
  })
  // Asked for when connected, and again after a reconnection (a change may have been missed).
  onConnection((state) => {
    if (state === 'connected') load().catch(() => {})
  })

  async function load() {
    view.value = await api.call('presence.get')
  }

  return {
    view,
    load,
    set: async (presence: ChoosablePresence) => (view.value = await api.call('presence.set', { presence })),
    setAutoAnswer: async (on: boolean) => (view.value = await api.call('presence.setAutoAnswer', { on })),
  }
})
