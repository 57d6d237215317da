// P5: an agent sees and answers only the conversations assigned to them; a supervisor sees every
// one. Checked in main for every inbox command, whatever the window shows.
import type { Actor } from '../contract/context.ts'
import type { Audience } from '../contract/eventHub.ts'
import { ParleyError } from '../contract/errors.ts'
import type { MediaRef } from '../inbox/media/mediaPaths.ts'
import type { Conversation, Store } from '../store/index.ts'
import { isSupervisor } from './permissions.ts'

const NOT_FOUND = 'That conversation does not exist.'

export function mayHandle(actor: Actor, conversation: Pick<Conversation, 'assignedAgentId'>): boolean {
  return isSupervisor(actor) || conversation.assignedAgentId === actor.personId
}

/** Who hears of a conversation's changes: its assignee and the supervisors (P5). */
export function audienceOf(conversation: Pick<Conversation, 'assignedAgentId'> | null): Audience {
  return { supervisors: true, people: conversation?.assignedAgentId ? [conversation.assignedAgentId] : [] }
}

/** `wholeInbox`: a single workstation, whose one person handles every conversation, waiting or not. */
export function createConversationAccess(store: Pick<Store, 'conversations' | 'outbox' | 'messages'>, options: { wholeInbox?: boolean } = {}) {
  const may = (actor: Actor, conversation: Conversation) => options.wholeInbox === true || mayHandle(actor, conversation)
  async function conversation(actor: Actor, id: string): Promise<Conversation> {
    const found = await store.conversations.get(id)
    if (!found) throw new ParleyError('not_found', NOT_FOUND)
    if (!may(actor, found)) throw new ParleyError('forbidden', 'This conversation is not assigned to you.')
    return found
  }
  return {
    conversation,
    /** A reply in the outbox belongs to its conversation's assignee. */
    async reply(actor: Actor, replyId: string): Promise<void> {
      const item = await store.outbox.get(replyId)
      if (!item) throw new ParleyError('not_found', 'That reply is no longer in the outbox.')
      await conversation(actor, item.conversationId)
    },
    /** Whether this person may see the media at `ref` (its conversation's). */
    async media(actor: Actor, ref: MediaRef): Promise<boolean> {
      const conversationId = ref.kind === 'avatar' ? ref.conversationId : (await store.messages.get(ref.mid))?.conversationId
      const found = conversationId ? await store.conversations.get(conversationId) : null
      return found !== null && may(actor, found)
    },
    async message(actor: Actor, mid: string): Promise<void> {
      const message = await store.messages.get(mid)
      if (!message) throw new ParleyError('not_found', 'That message does not exist.')
      await conversation(actor, message.conversationId)
    },
  }
}
export type ConversationAccess = ReturnType<typeof createConversationAccess>
