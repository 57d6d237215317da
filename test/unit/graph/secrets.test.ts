import { appsecretProof } from '../../../src-main/core/graph/index.ts'
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { APP_ID, APP_SECRET, metaError, PAGE_TOKEN, startFakeMeta, testClient, USER_TOKEN, type FakeMeta, type Reply } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const SECRETS = [APP_SECRET, USER_TOKEN, PAGE_TOKEN, appsecretProof(USER_TOKEN, APP_SECRET), appsecretProof(PAGE_TOKEN, APP_SECRET), 'EAAshortLivedToken0123456789']

/** Every way an error might end up in a log or on screen. */
function everyRendering(error: unknown): string {
  const e = error as Error
  return [JSON.stringify(error), JSON.stringify({ ...e }), inspect(error, { depth: 10, showHidden: true }), String(error), e.stack, e.message].join('\n')
}

function expectNoSecret(error: unknown): void {
  expect(error).toBeInstanceOf(Error)
  const text = everyRendering(error)
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe('tokens and the app secret never appear in errors', () => {
  const failures: [string, Reply][] = [
    // Meta repeating what it was sent is the worst case: its text is kept, so it must be cleaned.
    ['a Meta message quoting the token and secret', metaError(190, `Malformed access token ${USER_TOKEN}${PAGE_TOKEN} for ${APP_ID}|${APP_SECRET}`, { subcode: 467 })],
    ['a Meta message quoting the bare secret', metaError(101, `Error validating client secret ${APP_SECRET}.`)],
    ['a Meta message quoting the proof', metaError(100, `Invalid appsecret_proof ${appsecretProof(USER_TOKEN, APP_SECRET)} for ${appsecretProof(PAGE_TOKEN, APP_SECRET)}`)],
    ['a user-facing Meta text quoting the token', { status: 400, json: { error: { message: 'x', code: 1, error_user_msg: `token ${USER_TOKEN}`, error_user_title: PAGE_TOKEN } } }],
    ['a dropped connection', 'destroy'],
    ['a broken-off answer', 'partial'],
    ['malformed JSON', { status: 200, text: `{"access_token":"${USER_TOKEN}"` }],
    ['a response of the wrong shape', { json: { data: [{ access_token: PAGE_TOKEN, name: 42 }] } }],
  ]

  it.each(failures)('%s', async (_, reply) => {
    const { client } = testClient(meta)
    for (const route of ['GET /me/accounts', 'POST /me/messages', 'GET /oauth/access_token', 'GET /debug_token']) meta.on(route, reply)
    const attempts = [
      () => client.listPages(USER_TOKEN),
      () => client.send(PAGE_TOKEN, { recipientId: '1', text: 'x', messagingType: 'RESPONSE' }),
      () => client.exchangeForLongLived('EAAshortLivedToken0123456789'),
      () => client.debugToken(PAGE_TOKEN),
    ]
    for (const attempt of attempts) expectNoSecret(await attempt().catch((e: unknown) => e))
  })

  it('a timeout', async () => {
    const { client } = testClient(meta, { timeoutMs: 100, retry: { maxAttempts: 1 } })
    meta.on('GET /debug_token', 'hang')
    expectNoSecret(await client.debugToken(PAGE_TOKEN).catch((e: unknown) => e))
  })

  it('keeps Meta’s words, minus the secrets, for support', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', metaError(190, `Bad token ${USER_TOKEN} here`, { subcode: 467 }))
    const error = await client.me(USER_TOKEN).catch((e: unknown) => e)
    expect(error).toMatchObject({ metaMessage: 'Bad token [redacted] here' })
  })

  it('nor in the client object itself', () => {
    const { client } = testClient(meta)
    expect(JSON.stringify(client)).not.toContain(APP_SECRET)
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(APP_SECRET)
  })
})
