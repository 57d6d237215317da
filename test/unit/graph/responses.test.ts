import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GraphError } from '../../../src-main/core/graph/index.ts'
import { PAGE_TOKEN, startFakeMeta, testClient, USER_TOKEN, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GraphError)
  return error as GraphError
}

describe('odd responses become unexpected_response, naming the endpoint', () => {
  it('malformed JSON', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/accounts', { status: 200, text: '{"data":[{"id":"1",' })
    const error = await failure(client.listPages(USER_TOKEN))
    expect(error).toMatchObject({ kind: 'unexpected_response', reason: 'unexpected_response', endpoint: 'GET /me/accounts', httpStatus: 200 })
    expect(error.message).toBe('Meta’s answer to GET /me/accounts is not what Parley expects.')
    // Not worth repeating: the same request will get the same answer.
    expect(meta.requests).toHaveLength(1)
  })

  it('a page without an id', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me/accounts', { json: { data: [{ name: 'No id', access_token: 'EAAx' }] } })
    const error = await failure(client.listPages(USER_TOKEN))
    expect(error).toMatchObject({ kind: 'unexpected_response', endpoint: 'GET /me/accounts' })
    expect(error.metaMessage).toContain('data.0.id')
  })

  it('a send answer without a message id', async () => {
    const { client } = testClient(meta)
    meta.on('POST /me/messages', { json: { recipient_id: '1' } })
    expect(await failure(client.send(PAGE_TOKEN, { recipientId: '1', text: 'x', messagingType: 'RESPONSE' }))).toMatchObject({
      kind: 'unexpected_response', endpoint: 'POST /me/messages',
    })
  })

  it('debug_token without data', async () => {
    const { client } = testClient(meta)
    meta.on('GET /debug_token', { json: { is_valid: true } })
    expect(await failure(client.debugToken(PAGE_TOKEN))).toMatchObject({ kind: 'unexpected_response', endpoint: 'GET /debug_token' })
  })

  it('an empty body', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', { status: 200, text: '' })
    expect(await failure(client.me(USER_TOKEN))).toMatchObject({ kind: 'unexpected_response', endpoint: 'GET /me' })
  })

  it('a 404 without Meta’s error object', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', { status: 404, json: { nothing: 'here' } })
    expect(await failure(client.me(USER_TOKEN))).toMatchObject({ kind: 'unexpected_response', httpStatus: 404 })
  })

  it('a next page without a cursor', async () => {
    const { client } = testClient(meta)
    meta.on('GET /1/conversations', { json: { data: [], paging: { next: 'not a url' } } })
    expect(await failure(client.conversations('1', PAGE_TOKEN))).toMatchObject({ kind: 'unexpected_response', endpoint: 'GET /{page-id}/conversations' })
  })

  it('takes the cursor from the next link when cursors are missing', async () => {
    const { client } = testClient(meta)
    meta.on('GET /1/conversations', { json: { data: [{ id: 'c1' }], paging: { next: 'https://graph.facebook.com/v25.0/1/conversations?after=QVFz&limit=1' } } })
    expect((await client.conversations('1', PAGE_TOKEN)).nextCursor).toBe('QVFz')
  })
})

describe('configuration', () => {
  it('refuses a version or an address that cannot work', () => {
    expect(() => testClient(meta, { version: '25' })).toThrow(/v25\.0/)
    expect(() => testClient(meta, { graphBase: 'graph.facebook.com' })).toThrow(/http/)
  })

  it('keeps a path in the graph base (a sandbox mounted below /)', async () => {
    const { client } = testClient(meta, { graphBase: `${meta.url}/` })
    meta.on('GET /me', { json: { id: '1' } })
    await client.me(USER_TOKEN)
    expect(meta.requests[0]).toMatchObject({ version: 'v25.0', path: '/me' })
  })
})
