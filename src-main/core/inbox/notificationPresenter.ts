import type { NotificationRequest } from '../contract/inbox.ts'

/**
 * Item 10: how a host shows a system notification for a new customer message. The desktop host
 * uses Electron's Notification; the browser host has none (its window uses Web Notifications).
 * The window decides when (not for the conversation on screen) and words it in its language.
 */
export interface NotificationPresenter {
  /** Shows it; `onClick` runs when the person clicks it. A newer one for the same conversation replaces the older. */
  show(notification: NotificationRequest, onClick: () => void): void
}
