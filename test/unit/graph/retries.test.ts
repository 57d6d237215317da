import { createServer } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GraphError } from '../../../src-main/core/graph/index.ts'
import { metaError, PAGE_TOKEN, startFakeMeta, testClient, USER_TOKEN, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const ME = { json: { id: '100', name: 'Sam' } }
const SENT = { json: { recipient_id: '9', message_id: 'm1' } }
const text = { recipientId: '9', text: 'hello', messagingType: 'RESPONSE' } as const
const bucHeader = (minutes: number) => ({
  'x-business-use-case-usage': JSON.stringify({
    '134895793791914': [{ type: 'pages', call_count: 100, total_cputime: 40, total_time: 60, estimated_time_to_regain_access: minutes }],
  }),
})

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GraphError)
  return error as GraphError
}

describe('GET is retried where repeating is safe', () => {
  it.each([
    ['1200 temporary send failure', metaError(1200, 'Temporary send message failure. Please try again later')],
    ['code 2 service unavailable', metaError(2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true, status: 500 })],
    ['is_transient', metaError(4321, 'Something transient.', { isTransient: true })],
    ['an HTML 502 from a proxy', { status: 502, text: '<html><body>Bad Gateway</body></html>' }],
  ])('on %s, then succeeds', async (_, reply) => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', reply, reply, ME)
    expect(await client.me(USER_TOKEN)).toEqual({ id: '100', name: 'Sam' })
    expect(meta.requests).toHaveLength(3)
    // Exponential with jitter: 500 ms then 1000 ms ceilings; random() = 0.5 lands at three quarters.
    expect(sleeps).toEqual([375, 750])
  })

  it('gives up after three attempts with the last error', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', metaError(1, 'An unknown error has occurred.', { status: 500 }))
    const error = await failure(client.me(USER_TOKEN))
    expect(error).toMatchObject({ kind: 'temporary', reason: 'temporary.unknown' })
    expect(meta.requests).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
  })

  it('spreads the backoff by the random jitter', async () => {
    const lows = testClient(meta, { random: () => 0 })
    meta.on('GET /me', metaError(1, 'x'), metaError(1, 'x'), ME)
    await lows.client.me(USER_TOKEN)
    expect(lows.sleeps).toEqual([250, 500])
  })

  it('on a rate limit waits as long as the usage header says, then succeeds', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', { ...metaError(32, '(#32) Page request limit reached', { isTransient: true }), headers: bucHeader(1) }, ME)
    await client.me(PAGE_TOKEN)
    expect(sleeps).toEqual([60_000])
  })

  it('on a rate limit without an estimate backs off exponentially', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', metaError(613, '(#613) Calls to this API have exceeded the rate limit.'), ME)
    await client.me(PAGE_TOKEN)
    expect(sleeps).toEqual([375])
  })

  it('does not wait longer than its bound: a long estimate is handed to the caller', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', { ...metaError(80001, '(#80001) There have been too many calls to this Page account.'), headers: bucHeader(15) })
    const error = await failure(client.me(PAGE_TOKEN))
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 15 * 60_000 })
    expect(sleeps).toEqual([])
    expect(meta.requests).toHaveLength(1)
  })

  it('is not retried on errors that repeating cannot fix', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', metaError(190, 'Error validating access token', { subcode: 460 }))
    await failure(client.me(USER_TOKEN))
    expect(meta.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('on a dropped connection, then succeeds', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('GET /me', 'destroy', ME)
    expect(await client.me(USER_TOKEN)).toMatchObject({ id: '100' })
    expect(meta.requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
  })
})

describe('POST (Send API) is never retried', () => {
  it.each([
    ['1200', metaError(1200, 'Temporary send message failure. Please try again later')],
    ['code 2', metaError(2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true })],
    ['a rate limit', { ...metaError(4, '(#4) Application request limit reached', { isTransient: true }), headers: bucHeader(1) }],
  ])('on %s', async (_, reply) => {
    const { client, sleeps } = testClient(meta)
    meta.on('POST /me/messages', reply, SENT)
    const error = await failure(client.send(PAGE_TOKEN, text))
    expect(error.retryable).toBe(true)
    expect(error.ambiguous).toBe(false)
    expect(meta.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('a dropped connection leaves the outcome unknown: network, ambiguous', async () => {
    const { client, sleeps } = testClient(meta)
    meta.on('POST /me/messages', 'destroy', SENT)
    const error = await failure(client.send(PAGE_TOKEN, text))
    expect(error).toMatchObject({ kind: 'network', reason: 'network.dropped', ambiguous: true, endpoint: 'POST /me/messages' })
    expect(meta.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('an answer that breaks off midway is ambiguous too', async () => {
    const { client } = testClient(meta)
    meta.on('POST /me/messages', 'partial')
    expect(await failure(client.send(PAGE_TOKEN, text))).toMatchObject({ kind: 'network', reason: 'network.interrupted', ambiguous: true })
  })

  it('a connection refused is not ambiguous: nothing reached Meta', async () => {
    const port = await closedPort()
    const { client } = testClient(meta, { graphBase: `http://127.0.0.1:${port}` })
    expect(await failure(client.send(PAGE_TOKEN, text))).toMatchObject({ kind: 'network', reason: 'network.offline', ambiguous: false })
  })

  it('an idempotent POST (page subscription) is retried', async () => {
    const { client } = testClient(meta)
    meta.on('POST /1/subscribed_apps', metaError(2, 'An unexpected error has occurred. Please retry your request later.'), { json: { success: true } })
    await client.subscribeApp('1', PAGE_TOKEN, ['messages'])
    expect(meta.requests).toHaveLength(2)
  })
})

describe('timeouts', () => {
  it('a POST without an answer in time is an ambiguous timeout, not retried', async () => {
    const { client } = testClient(meta, { timeoutMs: 150 })
    meta.on('POST /me/messages', 'hang')
    expect(await failure(client.send(PAGE_TOKEN, text))).toMatchObject({ kind: 'network', reason: 'network.timeout', ambiguous: true })
    expect(meta.requests).toHaveLength(1)
  })

  it('a GET that times out is tried again', async () => {
    const { client, sleeps } = testClient(meta, { timeoutMs: 150 })
    meta.on('GET /me', 'hang', ME)
    expect(await client.me(USER_TOKEN)).toMatchObject({ id: '100' })
    expect(meta.requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
  })

  it('a GET that keeps timing out ends as network.timeout, not ambiguous', async () => {
    const { client } = testClient(meta, { timeoutMs: 100 })
    meta.on('GET /me', 'hang')
    expect(await failure(client.me(USER_TOKEN))).toMatchObject({ kind: 'network', reason: 'network.timeout', ambiguous: false, retryable: true })
    expect(meta.requests).toHaveLength(3)
  })
})

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
