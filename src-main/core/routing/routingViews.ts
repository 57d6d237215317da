// How routing's records look to windows: times as ISO strings, names as they were then.
import { iso } from '../contract/isoTime.ts'
import type { PresenceView, RoutingEventView } from '../contract/routing.ts'
import type { AgentState, RoutingEvent } from '../store/index.ts'

export function presenceView(agent: AgentState): PresenceView {
  return { personId: agent.personId, presence: agent.presence, since: iso(agent.presenceSince), autoAnswer: agent.autoAnswer }
}

export function routingEventView(event: RoutingEvent): RoutingEventView {
  return {
    id: String(event.id), at: iso(event.at), kind: event.kind, queueName: event.queueName, personName: event.personName,
    byName: event.byName, wrapUpCode: event.wrapUpCode, automatic: event.automatic,
  }
}
