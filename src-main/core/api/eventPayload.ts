// I2: what a delivery says — the event and the conversation it is about, by ids and the names as
// they were at that step. Never a token, a secret, message text or story media.
import type { EventType } from '../contract/api.ts'
import type { ClaimedDelivery } from '../store/index.ts'

export interface EventBody {
  id: string
  type: EventType
  occurredAt: string
  data: {
    conversation: { id: string; integrationId: string; customer: { igsid: string; username: string | null } }
    queue: { id: string; name: string } | null
    agent: { id: string; name: string } | null
    /** The person who did it, when a person did (a transfer, an assignment, an end). */
    by: { id: string; name: string } | null
    wrapUpCode: string | null
    /** Accepted by Auto-answer, not by a click. */
    automatic: boolean
  }
}

/** Who or what a routing step names, by id and the name it had then (the id when it had none). */
export const named = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null)

export function eventBody(delivery: ClaimedDelivery): EventBody {
  const { event, conversation } = delivery
  return {
    id: delivery.eventId,
    type: delivery.eventType,
    occurredAt: new Date(event.at).toISOString(),
    data: {
      conversation: { id: conversation.id, integrationId: conversation.integrationId, customer: { igsid: conversation.customerIgsid, username: conversation.customerUsername } },
      queue: named(event.queueId, event.queueName),
      agent: named(event.personId, event.personName),
      by: named(event.byPersonId, event.byName),
      wrapUpCode: event.wrapUpCode,
      automatic: event.automatic,
    },
  }
}
