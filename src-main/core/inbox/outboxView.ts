import type { OutboxView } from '../contract/inbox.ts'
import type { OutboxItem } from '../store/index.ts'

/** A9, A10: a reply as the window shows it. */
export function outboxView(item: OutboxItem): OutboxView {
  return {
    id: item.id,
    conversationId: item.conversationId,
    state: item.state,
    text: item.text,
    // A4: the file by name and type; never where it is kept or served.
    attachment: item.attachment
      ? { type: item.attachment.type, name: item.attachment.name ?? null, mime: item.attachment.mime ?? null, size: item.attachment.size ?? null }
      : null,
    problem: item.lastError ? { code: item.lastError.code, message: item.lastError.message, remedy: null } : null,
    createdAt: new Date(item.createdAt).toISOString(),
  }
}
