// R1–R6 commands: presence and alerts for everyone, transfer and end for whoever handles the
// conversation, queues, rules and Queue activity for supervisors.
import type { CallContext } from '../contract/context.ts'
import type { Handlers } from '../contract/dispatcher.ts'
import type { InboxService } from '../inbox/inboxService.ts'
import type { ConversationAccess } from '../people/conversationAccess.ts'
import type { QueueService } from '../routing/queueService.ts'
import type { RoutingService } from '../routing/routingService.ts'
import { supervisor } from './guards.ts'

export interface RoutingHandlerServices {
  routing: RoutingService
  queues: QueueService
  inbox: InboxService
  access: ConversationAccess
}

type RoutingCommand =
  | 'presence.get' | 'presence.set' | 'presence.setAutoAnswer'
  | 'routing.alerts' | 'routing.accept' | 'routing.decline' | 'routing.transferTargets' | 'routing.activity'
  | 'routing.rules' | 'routing.setRules' | 'routing.settings' | 'routing.setSettings'
  | 'queues.list' | 'queues.create' | 'queues.update' | 'queues.delete'
  | 'inbox.transfer' | 'inbox.end' | 'inbox.assign'

const done = { ok: true as const }

export function routingHandlers({ routing, queues, inbox, access }: RoutingHandlerServices): Pick<Handlers, RoutingCommand> {
  const row = (conversationId: string, { client }: CallContext) => inbox.row(conversationId, client)
  return {
    'presence.get': (_input, { actor }) => routing.presence(actor),
    'presence.set': ({ presence }, { actor }) => routing.setPresence(actor, presence),
    'presence.setAutoAnswer': ({ on }, { actor }) => routing.setAutoAnswer(actor, on),

    'routing.alerts': (_input, { actor }) => routing.alerts(actor),
    'routing.accept': async ({ conversationId }, context) => {
      await routing.accept(context.actor, conversationId)
      return row(conversationId, context)
    },
    'routing.decline': async ({ conversationId }, { actor }) => {
      await routing.decline(actor, conversationId)
      return done
    },
    'routing.transferTargets': () => queues.transferTargets(),
    'routing.activity': supervisor(() => routing.activity()),
    'routing.rules': supervisor(({ integrationId }) => queues.rules(integrationId)),
    'routing.setRules': supervisor((rules) => queues.setRules(rules)),
    'routing.settings': supervisor(async () => ({ threadingWindowHours: await routing.threadingWindowHours() })),
    'routing.setSettings': supervisor(async ({ threadingWindowHours }) => ({ threadingWindowHours: await routing.setThreadingWindowHours(threadingWindowHours) })),

    'queues.list': supervisor(() => queues.list()),
    'queues.create': supervisor((input) => queues.create(input)),
    'queues.update': supervisor((input) => queues.update(input)),
    'queues.delete': supervisor(async ({ id }) => {
      await queues.delete(id)
      return done
    }),

    // The agent who holds it, or a supervisor, passes it on or ends it.
    'inbox.transfer': async ({ conversationId, to }, { actor }) => {
      await access.conversation(actor, conversationId)
      await routing.transfer(actor, conversationId, to)
      return done
    },
    'inbox.end': async ({ conversationId, wrapUpCode }, context) => {
      await access.conversation(context.actor, conversationId)
      await routing.end(context.actor, conversationId, wrapUpCode)
      return row(conversationId, context)
    },
    /** P5, R5: a supervisor's Assign to… goes through the routing engine, capacity and all. */
    'inbox.assign': supervisor(async ({ conversationId, personId }, context) => {
      await routing.assign(context.actor, conversationId, personId)
      return row(conversationId, context)
    }),
  }
}
