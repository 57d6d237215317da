// I1: the REST API, one table: each route's schemas validate its requests and describe it in the
// OpenAPI document, its scope is checked before it runs, its handler reads through core.
import { z } from 'zod'
import type { ApiScope } from '../contract/api.ts'
import type { Actor } from '../contract/context.ts'
import type { Integration as IntegrationView } from '../contract/integrations.ts'
import { iso, isoOrNull } from '../contract/isoTime.ts'
import type { Presence as PresenceName, PresenceView, QueueActivityView } from '../contract/routing.ts'
import { LOCAL_AGENT } from '../contract/people.ts'
import { actorOf } from '../people/permissions.ts'
import { queueView } from '../routing/queueService.ts'
import type { ApiConversationRow, ApiMessageRow, RoutingEvent, Store, StoredApiKey } from '../store/index.ts'
import { decodeCursor, encodeCursor } from './cursors.ts'
import { named } from './eventPayload.ts'
import { ApiProblem } from './problems.ts'
import * as R from './resources.ts'

export interface ApiDeps {
  store: Pick<Store, 'apiReads' | 'people' | 'queues' | 'routing'>
  routing: { setPresence(actor: Actor, presence: PresenceName): Promise<PresenceView>; presence(actor: Actor): Promise<PresenceView>; activity(): Promise<QueueActivityView> }
  integrations: () => IntegrationView[]
}

export interface ApiRequest<P, Q, B> {
  key: StoredApiKey
  params: P
  query: Q
  body: B
}

export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'put'
  /** OpenAPI's template: /people/{id}. */
  path: string
  summary: string
  scope: ApiScope
  params?: z.ZodType<P>
  query?: z.ZodType<Q>
  body?: z.ZodType<B>
  response: z.ZodType
  /** A single resource: answered with an ETag, and 304 for a matching If-None-Match. */
  single?: boolean
  handle(request: ApiRequest<P, Q, B>): Promise<unknown>
}

const route = <P, Q, B>(r: ApiRoute<P, Q, B>) => r as ApiRoute
const notFound = (what: string) => new ApiProblem(404, 'not_found', 'Not found', `There is no such ${what}.`)

function conversation(row: ApiConversationRow) {
  return {
    id: row.id,
    integrationId: row.integrationId,
    state: row.state,
    queue: row.queue,
    agent: row.agent,
    customer: row.customer,
    createdAt: iso(row.createdAt),
    lastActivityAt: iso(row.lastActivityAt),
    waitingSince: isoOrNull(row.waitingSince),
    endedAt: isoOrNull(row.endedAt),
    wrapUpCode: row.wrapUpCode,
  }
}

function message(row: ApiMessageRow, withText: boolean) {
  const { text, createdAt, ...rest } = row
  return { ...rest, createdAt: iso(createdAt), ...(withText ? { text } : {}) }
}

const step = (e: RoutingEvent) => ({
  at: iso(e.at),
  kind: e.kind,
  queue: named(e.queueId, e.queueName),
  person: named(e.personId, e.personName),
  by: named(e.byPersonId, e.byName),
  wrapUpCode: e.wrapUpCode,
  automatic: e.automatic,
})

const ConversationCursor = z.object({ at: z.number(), id: z.string() })
const MessageCursor = z.object({ at: z.number(), mid: z.string() })
const IdCursor = z.object({ id: z.string() })
const MESSAGES_IN_DETAIL = 50

/** A page of `limit` from one more fetched: the extra one says whether there is a next page. */
function paged<T, C extends object>(rows: T[], limit: number, cursorOf: (last: T) => C) {
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1]!)) : null }
}

/** A short list held in memory, paged by id as the database pages people. */
function pagedById<T extends { id: string }>(list: T[], query: { limit: number; cursor?: string | undefined }) {
  const after = decodeCursor(query.cursor, IdCursor)
  const rest = list.filter((item) => !after || item.id > after.id).sort((a, b) => (a.id < b.id ? -1 : 1))
  return paged(rest.slice(0, query.limit + 1), query.limit, (last) => ({ id: last.id }))
}

export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  const { store } = deps
  const person = async (id: string) => {
    const found = await store.people.get(id)
    // A workstation's local person is no one of a team's.
    if (!found || id === LOCAL_AGENT) throw notFound('person')
    return found
  }
  const activities = async () => {
    const [view, queues] = await Promise.all([deps.routing.activity(), store.queues.list()])
    return view.queues.map((q) => {
      const members = new Set(queues.find((queue) => queue.id === q.id)?.memberIds ?? [])
      return {
        queue: { id: q.id, name: q.name },
        waiting: q.waiting,
        interacting: q.interacting,
        longestWaitingSince: q.longestWaitingSince,
        agentsOnQueue: q.agentsOnQueue,
        agents: view.agents.filter((a) => members.has(a.personId)),
      }
    })
  }

  return [
    route({
      method: 'get', path: '/people', summary: 'People of the team, by id.', scope: 'read', query: R.ListQuery, response: R.page('PersonPage', R.Person),
      async handle({ query }) {
        const after = decodeCursor(query.cursor, IdCursor)
        return paged(await store.apiReads.people(query.limit + 1, after?.id), query.limit, (last) => ({ id: last.id }))
      },
    }),
    route({
      method: 'get', path: '/people/{id}', summary: 'One person.', scope: 'read', params: R.IdParam, response: R.Person, single: true,
      async handle({ params }) {
        const p = await person(params.id)
        return { id: p.id, username: p.username, name: p.name, role: p.role, messageCapacity: p.messageCapacity, active: p.deactivatedAt === null }
      },
    }),
    route({
      method: 'get', path: '/people/{id}/presence', summary: 'A person’s presence (R2).', scope: 'read', params: R.IdParam, response: R.Presence, single: true,
      async handle({ params }) {
        return deps.routing.presence(actorOf(await person(params.id)))
      },
    }),
    route({
      method: 'put', path: '/people/{id}/presence', summary: 'Sets a person’s presence, as they would in the status bar (R2).', scope: 'write',
      params: R.IdParam, body: R.PresenceChange, response: R.Presence,
      async handle({ params, body }) {
        const p = await person(params.id)
        if (p.deactivatedAt !== null) throw new ApiProblem(409, 'deactivated', 'Refused', 'This person is deactivated.')
        return deps.routing.setPresence(actorOf(p), body.presence)
      },
    }),
    route({
      method: 'get', path: '/queues', summary: 'Every queue, by id (R1).', scope: 'read', query: R.ListQuery, response: R.page('QueuePage', R.Queue),
      async handle({ query }) {
        return pagedById((await store.queues.list()).map(queueView), query)
      },
    }),
    route({
      method: 'get', path: '/queues/{id}', summary: 'One queue (R1).', scope: 'read', params: R.IdParam, response: R.Queue, single: true,
      async handle({ params }) {
        const queue = await store.queues.get(params.id)
        if (!queue) throw notFound('queue')
        return queueView(queue)
      },
    }),
    route({
      method: 'get', path: '/queues/{id}/activity', summary: 'Waiting, interacting, longest waiting, agents on queue, and each member’s presence and load (R6).', scope: 'read',
      params: R.IdParam, response: R.QueueActivity, single: true,
      async handle({ params }) {
        const found = (await activities()).find((a) => a.queue.id === params.id)
        if (!found) throw notFound('queue')
        return found
      },
    }),
    route({
      method: 'get', path: '/conversations', summary: 'Conversations, newest activity first, by state, queue, agent, integration and time.', scope: 'read',
      query: R.ConversationQuery, response: R.page('ConversationPage', R.Conversation),
      async handle({ query }) {
        const after = decodeCursor(query.cursor, ConversationCursor)
        const rows = await store.apiReads.conversations(
          {
            ...(query.state ? { state: query.state } : {}),
            ...(query.queueId ? { queueId: query.queueId } : {}),
            ...(query.agentId ? { agentId: query.agentId } : {}),
            ...(query.integrationId ? { integrationId: query.integrationId } : {}),
            ...(query.activeSince ? { activeSince: Date.parse(query.activeSince) } : {}),
            ...(query.activeBefore ? { activeBefore: Date.parse(query.activeBefore) } : {}),
            ...(after ? { after } : {}),
          },
          query.limit + 1,
        )
        const page = paged(rows, query.limit, (last) => ({ at: last.lastActivityAt, id: last.id }))
        return { items: page.items.map(conversation), nextCursor: page.nextCursor }
      },
    }),
    route({
      method: 'get', path: '/conversations/{id}', summary: 'One conversation with its routing history, wrap-up and newest messages.', scope: 'read',
      params: R.IdParam, response: R.ConversationDetail, single: true,
      async handle({ params, key }) {
        const [row] = await store.apiReads.conversations({ id: params.id }, 1)
        if (!row) throw notFound('conversation')
        const [history, messages] = await Promise.all([store.routing.history(row.id), store.apiReads.messages(row.id, MESSAGES_IN_DETAIL)])
        const withText = key.scopes.includes('messages:read')
        return { ...conversation(row), history: history.map(step), messages: messages.map((m) => message(m, withText)) }
      },
    }),
    route({
      method: 'get', path: '/conversations/{id}/messages', summary: 'A conversation’s messages, newest first (text only with messages:read).', scope: 'read',
      params: R.IdParam, query: R.ListQuery, response: R.page('MessagePage', R.Message),
      async handle({ params, query, key }) {
        const [row] = await store.apiReads.conversations({ id: params.id }, 1)
        if (!row) throw notFound('conversation')
        const before = decodeCursor(query.cursor, MessageCursor)
        const page = paged(await store.apiReads.messages(row.id, query.limit + 1, before), query.limit, (last) => ({ at: last.createdAt, mid: last.mid }))
        return { items: page.items.map((m) => message(m, key.scopes.includes('messages:read'))), nextCursor: page.nextCursor }
      },
    }),
    route({
      method: 'get', path: '/integrations', summary: 'Integrations with their health.', scope: 'read', query: R.ListQuery, response: R.page('IntegrationPage', R.Integration),
      handle: async ({ query }) => pagedById(deps.integrations().map((i) => ({ id: i.id, name: i.name, status: i.status, instagram: i.instagram, health: i.health })), query),
    }),
  ]
}
