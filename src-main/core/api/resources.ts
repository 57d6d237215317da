// I1: the REST API's resources — the schemas that validate requests and describe responses, and
// from which /api/v1/openapi.json is generated (openapi.ts). There is no other description.
import { z } from 'zod'
import { IntegrationHealth } from '../contract/integrations.ts'
import { ROLES } from '../contract/people.ts'
import { CHOOSABLE_PRESENCES, PRESENCES, QueueView, ROUTING_EVENT_KINDS, ROUTING_STATES } from '../contract/routing.ts'

/** Every named schema of the API: each becomes a component of the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string }>()
const component = <T extends z.ZodType>(id: string, schema: T): T => (apiSchemas.add(schema, { id }), schema)

const at = z.iso.datetime().describe('A moment, ISO 8601 in UTC.')
const named = z.object({ id: z.string(), name: z.string() })

/** RFC 9457. */
export const Problem = component(
  'Problem',
  z.object({
    type: z.string().describe('A URI naming the kind of problem (urn:parley:problem:…).'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  }),
)

export const page = <T extends z.ZodType>(id: string, item: T) =>
  component(id, z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') }))

export const Person = component(
  'Person',
  z.object({ id: z.string(), username: z.string(), name: z.string(), role: z.enum(ROLES), messageCapacity: z.number().int(), active: z.boolean() }),
)

export const Presence = component('Presence', z.object({ personId: z.string(), presence: z.enum(PRESENCES), since: at, autoAnswer: z.boolean() }))

export const PresenceChange = component('PresenceChange', z.object({ presence: z.enum(CHOOSABLE_PRESENCES) }).strict())

/** As the window sees it: `defaultFor` names the integration whose Default queue this is. */
export const Queue = component('Queue', QueueView)

export const AgentLoad = component(
  'AgentLoad',
  z.object({ personId: z.string(), name: z.string(), presence: z.enum(PRESENCES), presenceSince: at, conversations: z.number().int(), capacity: z.number().int() }),
)

export const QueueActivity = component(
  'QueueActivity',
  z.object({
    queue: named,
    waiting: z.number().int(),
    interacting: z.number().int(),
    longestWaitingSince: at.nullable(),
    agentsOnQueue: z.number().int(),
    agents: z.array(AgentLoad).describe('The queue’s members.'),
  }),
)

export const RoutingStep = component(
  'RoutingStep',
  z.object({
    at,
    kind: z.enum(ROUTING_EVENT_KINDS),
    queue: named.nullable(),
    person: named.nullable(),
    by: named.nullable(),
    wrapUpCode: z.string().nullable(),
    automatic: z.boolean(),
  }),
)

const conversationFields = {
  id: z.string(),
  integrationId: z.string(),
  state: z.enum(ROUTING_STATES),
  queue: named,
  agent: named.nullable(),
  customer: z.object({ igsid: z.string(), username: z.string().nullable(), name: z.string().nullable() }),
  createdAt: at,
  lastActivityAt: at,
  waitingSince: at.nullable(),
  endedAt: at.nullable(),
  wrapUpCode: z.string().nullable(),
}
export const Conversation = component('Conversation', z.object(conversationFields))

export const Message = component(
  'Message',
  z.object({
    mid: z.string(),
    direction: z.enum(['inbound', 'outbound', 'echo']),
    kind: z.string(),
    createdAt: at,
    withdrawn: z.boolean(),
    attachmentTypes: z.array(z.string()),
    story: z.boolean().describe('A story mention or reply (its media is never given out).'),
    text: z.string().nullable().optional().describe('Only for keys with the messages:read scope.'),
  }),
)

export const ConversationDetail = component(
  'ConversationDetail',
  z.object({
    ...conversationFields,
    history: z.array(RoutingStep).describe('Every routing step, oldest first.'),
    messages: z.array(Message).describe('The newest messages, newest first; more from /conversations/{id}/messages.'),
  }),
)

export const Integration = component(
  'Integration',
  z.object({ id: z.string(), name: z.string(), status: z.enum(['active', 'disconnected']), instagram: z.object({ id: z.string(), username: z.string() }), health: IntegrationHealth }),
)

// Requests
const limit = z.coerce.number().int().min(1).max(200).default(50).describe('Items per page (1–200, default 50).')
const cursor = z.string().max(500).optional().describe('From the previous page’s nextCursor.')
export const ListQuery = z.object({ limit, cursor }).strict()
export const ConversationQuery = z
  .object({
    limit,
    cursor,
    state: z.enum(ROUTING_STATES).optional(),
    queueId: z.string().max(200).optional(),
    agentId: z.string().max(200).optional(),
    integrationId: z.string().max(200).optional(),
    activeSince: z.iso.datetime().optional().describe('Last activity at or after this moment.'),
    activeBefore: z.iso.datetime().optional().describe('Last activity before this moment.'),
  })
  .strict()
export const IdParam = z.object({ id: z.string().min(1).max(200) }).strict()
