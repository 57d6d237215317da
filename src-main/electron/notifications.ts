import { Notification, type BrowserWindow } from 'electron'
import type { NotificationPresenter } from '../core/inbox/notificationPresenter.ts'

/**
 * Item 10 on the desktop: Electron's Notification. One per conversation — a newer message replaces
 * the older notification — and kept referenced until it closes, or its click would be lost.
 */
export function createDesktopNotificationPresenter(mainWindow: () => BrowserWindow | null): NotificationPresenter {
  const shown = new Map<string, Notification>()
  return {
    show({ conversationId, title, body }, onClick) {
      if (!Notification.isSupported()) return
      shown.get(conversationId)?.close()
      const notification = new Notification({ title, body: body ?? '' })
      shown.set(conversationId, notification)
      const forget = () => {
        if (shown.get(conversationId) === notification) shown.delete(conversationId)
      }
      notification.on('close', forget)
      notification.on('click', () => {
        forget()
        const window = mainWindow()
        if (window) {
          if (window.isMinimized()) window.restore()
          window.show()
          window.focus()
        }
        onClick()
      })
      notification.show()
    },
  }
}
