import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { AlertView, ConversationView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** An alert with the moment this window learnt of it: its countdown runs on this window's clock. */
export interface ShownAlert extends AlertView {
  /** Local time (ms) at which the time to accept runs out. */
  deadline: number
}

/**
 * R3: the conversations offered to this person, waiting for Accept or Decline. Main sends the whole
 * list whenever it changes (`routing.alerts`); the time left is counted from the alert's own
 * length, so a window whose clock differs from the server's still counts down right.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const { api, onConnection } = inject(CONNECTION)!
  const alerts = ref<ShownAlert[]>([])
  const arrivedListeners = new Set<(alert: ShownAlert) => void>()

  function put(list: AlertView[]) {
    const known = new Map(alerts.value.map((a) => [a.conversationId, a]))
    const receivedAt = Date.now()
    alerts.value = list.map((alert) => known.get(alert.conversationId) ?? { ...alert, deadline: receivedAt + Date.parse(alert.expiresAt) - Date.parse(alert.offeredAt) })
    for (const alert of alerts.value) if (!known.has(alert.conversationId)) arrivedListeners.forEach((listener) => listener(alert))
  }

  api.on('routing.alerts', put)
  onConnection((state) => {
    if (state === 'connected') load().catch(() => {})
  })

  async function load() {
    put(await api.call('routing.alerts'))
  }

  const drop = (conversationId: string) => (alerts.value = alerts.value.filter((a) => a.conversationId !== conversationId))

  async function accept(conversationId: string): Promise<ConversationView> {
    const row = await api.call('routing.accept', { conversationId })
    drop(conversationId)
    return row
  }

  async function decline(conversationId: string): Promise<void> {
    await api.call('routing.decline', { conversationId })
    drop(conversationId)
  }

  return {
    alerts,
    load,
    accept,
    decline,
    isAlerting: (conversationId: string) => alerts.value.some((a) => a.conversationId === conversationId),
    /** Called once for each alert new to this window (a notification goes out). */
    onArrived: (listener: (alert: ShownAlert) => void) => (arrivedListeners.add(listener), () => arrivedListeners.delete(listener)),
  }
})
