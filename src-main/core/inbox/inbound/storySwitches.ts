// S9: per integration, story mentions and story replies can be switched off.
// - Mentions off: the event is dropped (nothing of it is stored).
// - Replies off: the customer's words are still a message to answer, so the text is kept as a plain
//   text message without the story reference; a story reply without text is dropped.
import type { IntegrationTarget } from './directory.ts'
import type { MessageEvent } from './events.ts'

export function applyStorySwitches(event: MessageEvent, target: IntegrationTarget): MessageEvent | null {
  if (event.kind === 'story_mention' && !target.storyMentions) return null
  if (event.kind === 'story_reply' && !target.storyReplies) {
    if (event.text === null && event.attachments === null) return null
    return { ...event, kind: event.attachments ? 'attachment' : 'text', storyId: null }
  }
  return event
}
