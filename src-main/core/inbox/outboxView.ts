import type { OutboxView } from '../contract/inbox.ts'
import type { Problem } from '../contract/integrations.ts'
import type { OutboxItem } from '../store/index.ts'

/** A9, A10: a reply as the window shows it. */
export function outboxView(item: OutboxItem): OutboxView {
  return {
    id: item.id,
    conversationId: item.conversationId,
    state: item.state,
    text: item.text,
    problem: item.lastError ? { code: item.lastError.code, message: item.lastError.message, remedy: null } : null,
    createdAt: new Date(item.createdAt).toISOString(),
  }
}

/**
 * A5: story media is shown only in a viewer protected from screen capture, which only the desktop
 * app can give. The browser host never shows it; the desktop viewer is not part of this build yet.
 */
export function storyService() {
  return {
    open(_mid: string, host: 'browser' | 'desktop'): { opened: false; problem: Problem } {
      return host === 'browser'
        ? {
            opened: false,
            problem: {
              code: 'story.browser_host',
              message: 'Story media is never shown in a browser, which cannot protect it from screen capture. Open the conversation in the Parley desktop app.',
              remedy: null,
            },
          }
        : {
            opened: false,
            problem: { code: 'story.viewer_unavailable', message: 'The protected story viewer is not available in this version of Parley.', remedy: null },
          }
    },
  }
}
