// The Graph client against Parley's Meta sandbox over real HTTP: the login dialog, token exchange,
// debug_token, all pages, subscriptions, and sends inside and outside Instagram's reply windows.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphClient, createLoginState, GraphError, parseLoginRedirect, type GraphClient, type PageSummary,
} from '../../../src-main/core/graph/index.ts'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox/index.ts'

const LOGIN_SUCCESS = 'https://www.facebook.com/connect/login_success.html'
const SCOPES = ['pages_show_list', 'pages_manage_metadata', 'pages_read_engagement', 'instagram_basic', 'instagram_manage_messages', 'business_management']

interface SandboxState {
  users: { id: string; email: string; password: string }[]
  pages: { id: string; roles: Record<string, unknown>; instagram: { id: string; linked: boolean; professional: boolean; switchConfirmed: boolean } | null }[]
  customers: { id: string; username: string; private: boolean; igsids: Record<string, string> }[]
}

let sandbox: RunningSandbox
let state: SandboxState
let client: GraphClient
let userToken: string
let pages: PageSummary[]
let sleeps: number[]

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** Walks the sandbox's login dialog as the login window would, from the client's URL to the redirect. */
async function logIn(user: SandboxState['users'][number], pageIds: string[]): Promise<string> {
  const loginState = createLoginState()
  const dialogUrl = client.loginDialogUrl({ state: loginState, scopes: SCOPES, redirectUri: LOGIN_SUCCESS })
  const dialog = Object.fromEntries(new URL(dialogUrl).searchParams)
  const login = await fetch(`${sandbox.url}/dialog/oauth/login`, {
    method: 'POST', body: new URLSearchParams({ ...dialog, email: user.email, pass: user.password }), redirect: 'manual',
  })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const selection = await (await fetch(dialogUrl, { headers: { cookie } })).text()
  const formToken = /name="fb_dtsg" value="([^"]+)"/.exec(selection)?.[1] ?? ''
  const form = new URLSearchParams({ ...dialog, fb_dtsg: formToken, action: 'continue' })
  for (const id of pageIds) form.append('page_ids', id)
  const confirm = await fetch(`${sandbox.url}/dialog/oauth/confirm`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' })
  const result = parseLoginRedirect(confirm.headers.get('location') ?? '', { expectedState: loginState, redirectUri: LOGIN_SUCCESS })
  if (result.type !== 'token') throw new Error(`login ended with ${result.type}`)
  return result.accessToken
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GraphError)
  return error as GraphError
}

beforeAll(async () => {
  sandbox = await startSandbox()
  state = await control<SandboxState>('GET', 'state')
  // The client's backoff moves the sandbox's clock instead of waiting, so that its per-second limits
  // (Conversations API: 2/s, answered with #613) clear deterministically.
  sleeps = []
  const sleep = async (ms: number) => {
    sleeps.push(ms)
    await control('POST', 'clock', { advance: `${Math.ceil(ms / 1000)}s` })
  }
  client = createGraphClient({ graphBase: sandbox.url, webBase: sandbox.url, appId: sandbox.appId, appSecret: async () => sandbox.appSecret, sleep })
})
afterAll(() => sandbox.close())

const maria = () => state.users[0]!
const mariasPages = () => state.pages.filter((page) => maria().id in page.roles)
const messagingPage = () => pages.find((page) => page.instagram !== null && page.accessToken !== null)!

describe('against the sandbox', () => {
  it('logs in, exchanges for a long-lived token and reads it with debug_token', async () => {
    const shortToken = await logIn(maria(), mariasPages().map((page) => page.id))
    const grant = await client.exchangeForLongLived(shortToken)
    userToken = grant.accessToken
    expect(grant.expiresIn).toBeGreaterThan(50 * 86_400)

    const info = await client.debugToken(userToken)
    expect(info).toMatchObject({ isValid: true, type: 'USER', appId: sandbox.appId, userId: maria().id })
    expect(info.scopes).toEqual(expect.arrayContaining(SCOPES))
    expect(info.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 86_400_000)
    expect(info.granularScopes.find((g) => g.scope === 'pages_show_list')?.targetIds.sort()).toEqual(mariasPages().map((p) => p.id).sort())
  })

  it('lists every page across cursor pages, with the linked Instagram accounts', async () => {
    pages = await client.listPages(userToken, { limit: 2 })
    expect(pages.map((page) => page.id).sort()).toEqual(mariasPages().map((page) => page.id).sort())
    expect(pages.every((page) => page.accessToken !== null)).toBe(true)
    // Meta leaves instagram_business_account out unless the account is professional, linked, and (after a switch) confirmed.
    const linked = mariasPages().filter((page) => page.instagram?.linked && page.instagram.professional && page.instagram.switchConfirmed)
    expect(pages.filter((page) => page.instagram !== null).map((page) => page.id).sort()).toEqual(linked.map((page) => page.id).sort())
  })

  it('page tokens from a long-lived user token never expire', async () => {
    const page = messagingPage()
    const info = await client.debugToken(page.accessToken!)
    expect(info).toMatchObject({ isValid: true, type: 'PAGE', profileId: page.id, expiresAt: null })
  })

  it('subscribes the app to the page and to Instagram webhooks', async () => {
    const page = messagingPage()
    await client.subscribeApp(page.id, page.accessToken!, ['messages', 'messaging_seen'])
    expect(await client.subscribedApps(page.id, page.accessToken!)).toEqual([
      expect.objectContaining({ id: sandbox.appId, subscribedFields: ['messages', 'messaging_seen'] }),
    ])

    const receiver = await challengeAnswerer('parley-verify')
    try {
      await client.subscribeAppWebhooks({ callbackUrl: receiver.url, verifyToken: 'parley-verify', fields: ['messages', 'messaging_seen'] })
      expect(await control<{ webhookSubscription: unknown }>('GET', 'state')).toMatchObject({
        webhookSubscription: { object: 'instagram', callbackUrl: receiver.url, fields: ['messages', 'messaging_seen'] },
      })
    } finally {
      await receiver.close()
    }
  })

  it('sends inside the window, with HUMAN_AGENT after 24 h, and is refused after 7 days', async () => {
    const page = messagingPage()
    const igId = page.instagram!.id
    const customer = state.customers.find((c) => !c.private)!
    const inbound = await control<{ delivered: boolean; igsid: string; conversationId: string }>('POST', 'inbound', { to: igId, from: customer.id, text: 'Hallo, ist mein Paket unterwegs?' })
    expect(inbound.delivered).toBe(true)
    const token = page.accessToken!

    const sent = await client.send(token, { recipientId: inbound.igsid, text: 'Ja, es kommt morgen.', messagingType: 'RESPONSE' })
    expect(sent.recipientId).toBe(inbound.igsid)
    const thread = await client.conversationMessages(inbound.conversationId, token)
    expect(thread.items.map((m) => m.id)).toContain(sent.messageId)
    expect((await client.message(sent.messageId, token)).text).toBe('Ja, es kommt morgen.')

    const conversations = await client.conversations(page.id, token, { userId: inbound.igsid })
    expect(conversations.items.map((c) => c.id)).toEqual([inbound.conversationId])
    expect(await client.userProfile(inbound.igsid, token)).toMatchObject({ id: inbound.igsid, username: customer.username })

    await control('POST', 'clock', { advance: '25h' })
    const late = await failure(client.send(token, { recipientId: inbound.igsid, text: 'Noch da?', messagingType: 'RESPONSE' }))
    expect(late).toMatchObject({ kind: 'outside_window', reason: 'outside_window.expired', code: 10, subcode: 2018278 })
    expect(late.remedy).toBe("Instagram allows replies only within 7 days of the customer's last message.")
    await client.send(token, { recipientId: inbound.igsid, text: 'Noch da?', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })

    await control('POST', 'clock', { advance: '7d' })
    expect(await failure(client.send(token, { recipientId: inbound.igsid, text: 'Hallo?', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }))).toMatchObject({
      kind: 'outside_window',
    })
  })

  it('reads a story mention and a story reply from the message fields, without their media', async () => {
    const page = messagingPage()
    const igId = page.instagram!.id
    const customer = state.customers.find((c) => !c.private)!
    const token = page.accessToken!
    const mention = await control<{ mid: string }>('POST', 'inbound', { to: igId, from: customer.id, story_mention: true })
    const reply = await control<{ mid: string }>('POST', 'inbound', { to: igId, from: customer.id, text: 'Lovely!', reply_to: { story: true } })
    const fields = ['id', 'created_time', 'from', 'message', 'story', 'reply_to']
    expect((await client.message(mention.mid, token, fields)).storyMention).toMatchObject({ id: expect.stringMatching(/^\d+$/) })
    const replied = await client.message(reply.mid, token, fields)
    expect(replied).toMatchObject({ text: 'Lovely!', storyMention: null, replyTo: { story: { id: expect.stringMatching(/^\d+$/) } } })
    // These reads count against the Conversations API's 2 calls/s: let the window pass for the next test.
    await control('POST', 'clock', { advance: '2s' })
  })

  it('waits out the Conversations API limit (2/s, #613) and repeats the GET', async () => {
    const page = messagingPage()
    await control('POST', 'clock', { freeze: true })
    sleeps.length = 0
    for (let i = 0; i < 3; i++) expect((await client.conversations(page.id, page.accessToken!)).items.length).toBeGreaterThan(0)
    expect(sleeps).toHaveLength(1)
    await control('POST', 'clock', { freeze: false })
  })

  it('records the usage headers the sandbox sends', () => {
    const usage = client.usage()
    expect(usage.updatedAt).not.toBeNull()
    expect(usage.app).not.toBeNull()
    expect(Object.keys(usage.perObject)).toContain(messagingPage().id)
  })

  it('is refused with a clear reason when the app secret is wrong', async () => {
    const wrong = createGraphClient({ graphBase: sandbox.url, webBase: sandbox.url, appId: sandbox.appId, appSecret: async () => 'not-the-secret' })
    expect(await failure(wrong.me(userToken))).toMatchObject({ kind: 'invalid_parameter', reason: 'invalid_parameter.appsecret_proof' })
  })

  it('reports a password change as token_invalid with the Recreate remedy', async () => {
    await control('POST', 'password', { userId: maria().id })
    const error = await failure(client.me(userToken))
    expect(error).toMatchObject({ kind: 'token_invalid', reason: 'token_invalid.password_changed', code: 190, subcode: 460 })
    expect(error.remedy).toBe('Delete and recreate the integration (Recreate) to log in again.')
    const info = await client.debugToken(userToken)
    expect(info).toMatchObject({ isValid: false, problem: { reason: 'token_invalid.password_changed' } })
  })
})

/** A webhook endpoint that answers Meta's verification GET (hub.challenge), as subscribing needs. */
async function challengeAnswerer(verifyToken: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === verifyToken
    response.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
