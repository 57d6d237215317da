import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import { useRouter } from 'vue-router'
import { CONNECTION, I18N } from '../injectionKeys.ts'
import { useAlertsStore, type ShownAlert } from './alerts.ts'
import { useInboxStore } from './inbox.ts'
import { useThreadStore } from './thread.ts'

export type NotificationPermissionState = NotificationPermission | 'unsupported'

/** How long a notification waits for a new customer's profile before it goes out without a name. */
const NAME_WAIT_MS = 3_000

/**
 * Item 10: a notification for each conversation with a new customer message, except the one on
 * screen. The window words it (in the person's language); the desktop app shows it with Electron's
 * Notification through main, the browser host as a Web Notification once the person allowed it.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const connection = inject(CONNECTION)!
  const { t } = inject(I18N)!.global
  const router = useRouter()
  const inbox = useInboxStore()
  const thread = useThreadStore()
  const alerts = useAlertsStore()
  const desktop = connection.transport === 'ipc'
  const supported = desktop || typeof Notification !== 'undefined'
  // The desktop app's notifications are the system's: nothing to ask here.
  const permission = ref<NotificationPermissionState>(desktop ? 'granted' : supported ? Notification.permission : 'unsupported')

  // An offered conversation opens once accepted: its alert, on every screen, is where to answer it.
  const openConversation = (conversationId: string) => {
    if (!alerts.isAlerting(conversationId)) void router.push(`/inbox/${encodeURIComponent(conversationId)}`)
  }

  connection.api.on('inbox.changed', ({ conversationIds, newInbound }) => {
    if (!newInbound || permission.value !== 'granted') return
    const others = conversationIds.filter((id) => id !== onScreen())
    if (!others.length) return
    // The inbox refreshes on the same event: wait for it, so the notification can name the sender.
    void inbox.whenRefreshed().then(() => others.forEach((id) => void whenNamed(id).then(() => show(id))))
  })
  // R3: every alert notifies, on screen or not: it waits for an answer.
  alerts.onArrived((alert) => {
    if (permission.value === 'granted') showAlert(alert)
  })
  // A click on a desktop notification, reported by main.
  connection.api.on('inbox.open', ({ conversationId }) => openConversation(conversationId))

  /** The conversation the person is looking at: none when the window is hidden (browser) or not focused (desktop). */
  function onScreen(): string | null {
    if (typeof document === 'undefined') return thread.conversationId
    const looking = desktop ? document.hasFocus() : document.visibilityState !== 'hidden'
    return looking ? thread.conversationId : null
  }

  /** A new customer's first message arrives before their profile: wait a moment for the name. */
  function whenNamed(conversationId: string): Promise<void> {
    const named = () => {
      const customer = inbox.byId(conversationId)?.customer
      return Boolean(customer?.name ?? customer?.username)
    }
    if (named()) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        stop()
        resolve()
      }
      const timer = setTimeout(done, NAME_WAIT_MS)
      const stop = connection.api.on('inbox.changed', ({ conversationIds }) => {
        if (conversationIds.includes(conversationId)) void inbox.whenRefreshed().then(() => named() && done())
      })
    })
  }

  function show(conversationId: string) {
    const row = inbox.byId(conversationId)
    const name = row ? (row.customer.name ?? (row.customer.username ? `@${row.customer.username}` : null)) : null
    const title = name ? t('inbox.notifications.title', { name }) : t('inbox.notifications.titleUnknown')
    const body = row ? t('inbox.notifications.body', { integration: row.integrationName }) : null
    notify(conversationId, title, body)
  }

  function showAlert(alert: ShownAlert) {
    const seconds = Math.max(0, Math.round((alert.deadline - Date.now()) / 1000))
    notify(alert.conversationId, t('routing.alerts.notification', { customer: alert.customer }), t('routing.alerts.notificationBody', { queue: alert.queueName, seconds }))
  }

  function notify(conversationId: string, title: string, body: string | null) {
    if (desktop) {
      void connection.api.call('notifications.show', { conversationId, title, body }).catch(() => undefined)
      return
    }
    try {
      // One notification per conversation: a second message replaces the first.
      const notification = new Notification(title, { body: body ?? undefined, tag: `parley-conversation-${conversationId}` })
      notification.onclick = () => {
        window.focus()
        openConversation(conversationId)
        notification.close()
      }
    } catch {
      // Some browsers allow notifications only from a service worker: nothing more to do here.
    }
  }

  async function requestPermission() {
    if (desktop || !supported) return
    permission.value = await Notification.requestPermission()
  }

  return { supported, permission, requestPermission }
})
