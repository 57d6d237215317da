import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import { CONNECTION, I18N } from '../injectionKeys.ts'
import { useInboxStore } from './inbox.ts'
import { useThreadStore } from './thread.ts'

export type NotificationPermissionState = NotificationPermission | 'unsupported'

/**
 * Item 10 in the browser host: a Web Notification for each conversation with a new customer
 * message, except the one on screen. In the desktop app main shows them (Electron Notification),
 * so this window stays quiet there. Permission is asked only when the person clicks for it.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const connection = inject(CONNECTION)!
  const { t } = inject(I18N)!.global
  const inbox = useInboxStore()
  const thread = useThreadStore()
  const supported = connection.transport === 'websocket' && typeof Notification !== 'undefined'
  const permission = ref<NotificationPermissionState>(supported ? Notification.permission : 'unsupported')

  connection.api.on('inbox.changed', ({ conversationIds, newInbound }) => {
    if (!newInbound || permission.value !== 'granted') return
    const onScreen = typeof document === 'undefined' || document.visibilityState !== 'hidden' ? thread.conversationId : null
    const others = conversationIds.filter((id) => id !== onScreen)
    if (!others.length) return
    // The inbox refreshes on the same event: wait for it, so the notification can name the sender.
    void inbox.whenRefreshed().then(() => others.forEach(show))
  })

  function show(conversationId: string) {
    const row = inbox.byId(conversationId)
    const name = row ? (row.customer.name ?? (row.customer.username ? `@${row.customer.username}` : null)) : null
    try {
      const notification = new Notification(name ? t('inbox.notifications.title', { name }) : t('inbox.notifications.titleUnknown'), {
        body: row ? t('inbox.notifications.body', { integration: row.integrationName }) : undefined,
        // One notification per conversation: a second message replaces the first.
        tag: `parley-conversation-${conversationId}`,
      })
      notification.onclick = () => {
        window.focus()
        window.location.hash = `#/inbox/${encodeURIComponent(conversationId)}`
        notification.close()
      }
    } catch {
      // Some browsers allow notifications only from a service worker: nothing more to do here.
    }
  }

  async function requestPermission() {
    if (!supported) return
    permission.value = await Notification.requestPermission()
  }

  return { supported, permission, requestPermission }
})
