// I1: the REST API against a real server on PostgreSQL. The OpenAPI document validates; every
// endpoint answers as the document says (each response validated against it); scopes, revocation
// on another node, the rate limit, cursors and ETags hold; errors are problem details.
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import type { AlertView, ApiKeyView, QueueView } from '../../../src-main/core/contract/index.ts'
import { customerWrites, signIn, type SignedInWindow } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

type Json = Record<string, unknown>
interface Answer {
  status: number
  headers: Headers
  body: Json
}

/** Checks every answer against the document: its status must be described, its body match the schema. */
function conformance(document: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ $id: 'parley-api', components: document.components }, 'parley-api')
  const paths = document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>
  const templateOf = (path: string) =>
    Object.keys(paths).find((template) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path)) ?? null
  return (method: string, path: string, answer: Answer) => {
    const template = templateOf(path.split('?')[0]!)
    if (!template) throw new Error(`${path} is not in the document`)
    const described = paths[template]![method]!.responses[String(answer.status)]
    if (!described) throw new Error(`${method} ${template} answered ${answer.status}, which the document does not describe`)
    const content = described.content
    if (!content) return
    const [type, { schema }] = Object.entries(content)[0]!
    expect(answer.headers.get('content-type')).toContain(type)
    const validate = ajv.getSchema(`parley-api${schema.$ref}`)!
    if (!validate(answer.body)) throw new Error(`${method} ${path} (${answer.status}) does not match ${schema.$ref}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body)}`)
  }
}

async function request(base: string, method: string, path: string, key: string | null, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} }
}

async function makeKey(supervisor: SignedInWindow, name: string, scopes: string[]) {
  return supervisor.call<{ key: ApiKeyView; secret: string }>('apiKeys.create', { name, scopes })
}

describe('the REST API (I1)', () => {
  it('is described by a valid OpenAPI 3.1 document, and every endpoint answers as described', async () => {
    const team = await startTeam()
    await team.addPerson('sara', 'Sara Vogel', 'supervisor')
    const annaId = await team.addPerson('anna', 'Anna Berg', 'agent')
    await team.addPerson('ben', 'Ben Kraus', 'agent')
    const node = await team.node()
    const supervisor = await signIn(node.url, 'sara', PASSWORD)
    onCleanup(async () => supervisor.close())
    const nordlicht = await connectNordlicht(node.url, supervisor)
    const [queue] = (await supervisor.call<QueueView[]>('queues.list')).filter((q) => q.defaultFor === nordlicht.id)
    await supervisor.call('queues.update', { id: queue!.id, name: queue!.name, memberIds: [annaId], alertTimeoutSeconds: 30, wrapUpCodes: ['Resolved'], afterWork: 'optional' })

    const document = (await request(node.url, 'get', '/openapi.json', null)).body
    const validation = await new Validator().validate(document as never)
    expect(validation.errors ?? []).toEqual([])
    expect(validation.valid).toBe(true)
    expect(document.openapi).toBe('3.1.0')
    const conforms = conformance(document)
    // The checks can fail: a broken document, and a body that is not what the document says.
    expect((await new Validator().validate({ openapi: '3.1.0', paths: { people: {} } } as never)).valid).toBe(false)
    expect(() => conforms('get', '/people', { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: { items: [{ id: 7 }], nextCursor: null } })).toThrow(/does not match/)

    const { secret: reader, key: readerKey } = await makeKey(supervisor, 'Reporting', ['read'])
    const { secret: writer } = await makeKey(supervisor, 'Workforce management', ['read', 'write'])
    const { secret: fullReader } = await makeKey(supervisor, 'CRM', ['read', 'messages:read'])
    expect(reader).toMatch(/^prl_[A-Za-z0-9_-]{43}$/)
    expect(readerKey.prefix).toBe(reader.slice(0, 12))
    const call = async (method: string, path: string, key: string | null, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
      const answer = await request(node.url, method, path, key, options)
      conforms(method, path, answer)
      return answer
    }

    // Anna goes on queue through the API; Lea writes; Anna accepts in her window.
    expect((await call('put', `/people/${annaId}/presence`, writer, { body: { presence: 'on_queue' } })).body).toMatchObject({ personId: annaId, presence: 'on_queue' })
    const anna = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => anna.close())
    const alerted = anna.next((e) => e.name === 'routing.alerts' && (e.payload as AlertView[]).length === 1)
    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { text: 'Ist mein Paket unterwegs?' })
    const [alert] = (await alerted).payload as AlertView[]
    await anna.call('routing.accept', { conversationId: alert!.conversationId })

    // Lists, filtered and paged.
    const people = await call('get', '/people?limit=1', reader)
    const seen = [...(people.body.items as { id: string }[])]
    let cursor = people.body.nextCursor as string | null
    while (cursor) {
      const next = await call('get', `/people?limit=1&cursor=${cursor}`, reader)
      seen.push(...(next.body.items as { id: string }[]))
      cursor = next.body.nextCursor as string | null
    }
    expect(seen.map((p) => p.id).sort()).toEqual((await team.store.people.list()).map((p) => p.id).sort())

    const interacting = await call('get', `/conversations?state=interacting&agentId=${annaId}&integrationId=${nordlicht.id}`, reader)
    expect(interacting.body.items).toEqual([expect.objectContaining({ id: alert!.conversationId, state: 'interacting', agent: { id: annaId, name: 'Anna Berg' }, queue: { id: queue!.id, name: queue!.name } })])
    expect((await call('get', '/conversations?state=waiting', reader)).body.items).toEqual([])
    expect((await call('get', `/conversations?activeBefore=${encodeURIComponent('2000-01-01T00:00:00Z')}`, reader)).body.items).toEqual([])

    // One conversation: routing history, wrap-up, messages — text only for messages:read.
    const detail = await call('get', `/conversations/${alert!.conversationId}`, reader)
    expect((detail.body.history as { kind: string }[]).map((h) => h.kind)).toEqual(['routed', 'alerted', 'accepted'])
    expect(detail.body.messages).toEqual([expect.not.objectContaining({ text: expect.anything() })])
    expect(JSON.stringify(detail.body)).not.toContain('Ist mein Paket unterwegs?')
    const withText = await call('get', `/conversations/${alert!.conversationId}/messages`, fullReader)
    expect(withText.body.items).toEqual([expect.objectContaining({ direction: 'inbound', text: 'Ist mein Paket unterwegs?' })])

    // ETag: unchanged → 304.
    const etag = detail.headers.get('etag')!
    expect(etag).toMatch(/^"[^"]+"$/)
    expect((await call('get', `/conversations/${alert!.conversationId}`, reader, { headers: { 'if-none-match': etag } })).status).toBe(304)

    for (const path of ['/queues', `/queues/${queue!.id}`, `/people/${annaId}`, `/people/${annaId}/presence`, '/integrations']) {
      expect((await call('get', path, reader)).status, path).toBe(200)
    }
    const activity = await call('get', `/queues/${queue!.id}/activity`, reader)
    expect(activity.body).toMatchObject({ waiting: 0, interacting: 1, agentsOnQueue: 1, agents: [expect.objectContaining({ personId: annaId, presence: 'on_queue', conversations: 1, capacity: 4 })] })
    expect(((await call('get', '/integrations', reader)).body.items as { name: string }[]).map((i) => i.name)).toEqual(['Nordlicht DMs'])

    // Refusals, each a problem.
    const problem = (status: number, code: string) => expect.objectContaining({ status, type: `urn:parley:problem:${code}`, title: expect.any(String) })
    const noKey = await call('get', '/people', null)
    expect(noKey.status).toBe(401)
    expect(noKey.headers.get('www-authenticate')).toContain('Bearer')
    expect(noKey.body).toEqual(problem(401, 'unauthenticated'))
    expect((await call('get', '/people', 'prl_not-a-key-this-server-knows')).body).toEqual(problem(401, 'unauthenticated'))
    expect((await call('put', `/people/${annaId}/presence`, reader, { body: { presence: 'break' } })).body).toEqual(problem(403, 'scope'))
    expect((await call('put', `/people/${annaId}/presence`, writer, { body: { presence: 'not_responding' } })).body).toEqual(problem(400, 'invalid_request'))
    expect((await call('get', '/conversations?limit=0', reader)).body).toEqual(problem(400, 'invalid_request'))
    expect((await call('get', '/conversations?cursor=bm90LWpzb24', reader)).body).toEqual(problem(400, 'invalid_cursor'))
    expect((await call('get', '/conversations/no-such-one', reader)).body).toEqual(problem(404, 'not_found'))
    expect((await call('get', '/people/no-such-one', reader)).body).toEqual(problem(404, 'not_found'))
    expect((await request(node.url, 'get', '/nothing-here', reader)).status).toBe(404)
  }, 90_000)

  it('refuses a revoked key at once on every node, and limits each key’s requests per minute', async () => {
    const team = await startTeam()
    await team.addPerson('sara', 'Sara Vogel', 'supervisor')
    const a = await team.node({ PARLEY_API_RATE_LIMIT: '5' })
    const b = await team.node({ PARLEY_API_RATE_LIMIT: '5' })
    const supervisor = await signIn(b.url, 'sara', PASSWORD)
    onCleanup(async () => supervisor.close())

    // Five requests a minute, counted across both nodes.
    const { secret: limited } = await makeKey(supervisor, 'Dashboard', ['read'])
    const statuses: number[] = []
    for (let n = 0; n < 6; n++) statuses.push((await request(n % 2 ? a.url : b.url, 'get', '/queues', limited)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    const limitedAnswer = await request(a.url, 'get', '/queues', limited)
    expect(limitedAnswer.status).toBe(429)
    expect(Number(limitedAnswer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(limitedAnswer.body).toMatchObject({ type: 'urn:parley:problem:rate_limited', status: 429 })

    // Revoked on node B: node A refuses it with the very next request.
    const { secret, key } = await makeKey(supervisor, 'Old CRM', ['read'])
    expect((await request(a.url, 'get', '/people', secret)).status).toBe(200)
    const revoked = await supervisor.call<ApiKeyView>('apiKeys.revoke', { id: key.id })
    expect(revoked.revokedAt).not.toBeNull()
    const refused = await request(a.url, 'get', '/people', secret)
    expect(refused.status).toBe(401)
    expect(refused.body).toMatchObject({ type: 'urn:parley:problem:key_revoked' })
    const listed = await supervisor.call<ApiKeyView[]>('apiKeys.list')
    expect(listed.find((k) => k.id === key.id)).toMatchObject({ name: 'Old CRM', createdBy: 'Sara Vogel', lastUsedAt: expect.any(String), revokedAt: expect.any(String) })

    // Keys are kept only as hashes: no secret in any table.
    const rows = JSON.stringify(await team.store.apiKeys.list())
    expect(rows).not.toContain(secret)
    expect(JSON.stringify(supervisor.events)).not.toContain(secret)
    expect([...a.logLines, ...b.logLines].join('')).not.toContain(secret)
    expect([...a.logLines, ...b.logLines].join('')).not.toContain(limited)
  }, 60_000)
})
