// Test helpers that drive the sandbox over real HTTP, the way Parley and a browser do.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src-main/sandbox/index.ts'

export const LOGIN_SUCCESS = 'https://www.facebook.com/connect/login_success.html'
export const ALL_SCOPES = [
  'pages_show_list', 'pages_manage_metadata', 'pages_read_engagement', 'instagram_basic', 'instagram_manage_messages', 'business_management',
]

export interface SeedState {
  now: string
  app: { id: string; secret: string }
  users: { id: string; name: string; email: string; password: string }[]
  pages: { id: string; name: string; published: boolean; instagram: { id: string; username: string; linked: boolean; professional: boolean; switchConfirmed: boolean } | null }[]
  customers: { id: string; name: string; username: string; private: boolean; igsids: Record<string, string> }[]
  conversations: { id: string; instagramId: string; customer: string; igsid: string; messages: number; lastCustomerMessageAt: string | null }[]
}

export interface Harness {
  sandbox: RunningSandbox
  url: string
  state: SeedState
  control: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>
  graph: <T = Record<string, unknown>>(method: string, path: string, params?: Record<string, unknown>, as?: 'query' | 'form' | 'json') => Promise<{ status: number; body: T; headers: Headers }>
  close: () => Promise<void>
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ webhookRetry: { baseMs: 5, maxAttempts: 4 }, ...options })
  const url = sandbox.url
  const control = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}/__sandbox/${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }
  const graph = async <T = Record<string, unknown>>(
    method: string, path: string, params: Record<string, unknown> = {}, as: 'query' | 'form' | 'json' = method === 'GET' || method === 'DELETE' ? 'query' : 'form',
  ): Promise<{ status: number; body: T; headers: Headers }> => {
    const target = new URL(`${url}${path}`)
    const strings = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]))
    let init: RequestInit = { method }
    if (as === 'query') for (const [key, value] of Object.entries(strings)) target.searchParams.set(key, value)
    if (as === 'form') init = { method, body: new URLSearchParams(strings) }
    if (as === 'json') init = { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }
    const response = await fetch(target, init)
    return { status: response.status, body: (await response.json()) as T, headers: response.headers }
  }
  const state = (await control<SeedState>('GET', 'state')).body
  return { sandbox, url, state, control, graph, close: () => sandbox.close() }
}

export interface DialogOptions {
  email: string
  password: string
  scope?: string[]
  pageIds?: string[]
  responseType?: 'token' | 'code'
  redirectUri?: string
  state?: string
  cookie?: string
  action?: 'continue' | 'cancel'
}

/** Walks the login dialog as a browser would: log in, pick pages, follow the redirect. */
export async function walkDialog(url: string, appId: string, options: DialogOptions): Promise<{ location: URL; cookie: string; selectionHtml: string }> {
  const dialog = {
    client_id: appId, redirect_uri: options.redirectUri ?? LOGIN_SUCCESS, state: options.state ?? 'st-123',
    response_type: options.responseType ?? 'token', scope: (options.scope ?? ALL_SCOPES).join(','),
  }
  let cookie = options.cookie ?? ''
  if (!cookie) {
    const login = await fetch(`${url}/dialog/oauth/login`, { method: 'POST', body: new URLSearchParams({ ...dialog, email: options.email, pass: options.password }), redirect: 'manual' })
    if (login.status !== 302) throw new Error(`login failed: ${login.status} ${await login.text()}`)
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  }
  const selection = await fetch(`${url}/v25.0/dialog/oauth?${new URLSearchParams(dialog)}`, { headers: { cookie } })
  const selectionHtml = await selection.text()
  const formToken = /name="fb_dtsg" value="([^"]+)"/.exec(selectionHtml)?.[1]
  if (!formToken) throw new Error('no page selection form: ' + selectionHtml.slice(0, 300))
  const form = new URLSearchParams({ ...dialog, fb_dtsg: formToken, action: options.action ?? 'continue' })
  for (const id of options.pageIds ?? []) form.append('page_ids', id)
  const confirm = await fetch(`${url}/dialog/oauth/confirm`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' })
  if (confirm.status !== 302) throw new Error(`confirm failed: ${confirm.status}`)
  return { location: new URL(confirm.headers.get('location') ?? ''), cookie, selectionHtml }
}

export function fragmentParams(location: URL): URLSearchParams {
  return new URLSearchParams(location.hash.slice(1))
}

export interface Connected {
  userToken: string
  longLivedToken: string
  pageTokens: Record<string, string>
}

/** Logs Maria in with every messaging permission and the given pages, exchanges for a long-lived token, takes page tokens. */
export async function connect(h: Harness, pageIds = h.state.pages.map((page) => page.id), userIndex = 0, scope = ALL_SCOPES): Promise<Connected> {
  const user = h.state.users[userIndex]
  if (!user) throw new Error('no such user')
  const { location } = await walkDialog(h.url, h.state.app.id, { email: user.email, password: user.password, pageIds, scope })
  const userToken = fragmentParams(location).get('access_token') ?? ''
  const exchange = await h.graph<{ access_token: string }>('GET', '/v25.0/oauth/access_token', {
    grant_type: 'fb_exchange_token', client_id: h.state.app.id, client_secret: h.state.app.secret, fb_exchange_token: userToken,
  })
  const longLivedToken = exchange.body.access_token
  const accounts = await h.graph<{ data: { id: string; access_token: string }[] }>('GET', '/v25.0/me/accounts', { access_token: longLivedToken })
  const pageTokens = Object.fromEntries((accounts.body.data ?? []).map((page) => [page.id, page.access_token]))
  return { userToken, longLivedToken, pageTokens }
}

export interface ReceivedWebhook {
  rawBody: string
  headers: IncomingMessage['headers']
  json: { object: string; entry: { id: string; time: number; messaging: Record<string, unknown>[] }[] }
}

/** A real webhook receiver: answers the hub.challenge, records POSTs, and can be told to fail. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = []
  failuresLeft = 0
  verifyToken = 'parley-verify'
  attempts = 0
  private server: Server | undefined
  private waiters: { count: number; resolve: () => void }[] = []
  url = ''

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const target = new URL(request.url ?? '/', 'http://x')
      if (request.method === 'GET') {
        const ok = target.searchParams.get('hub.mode') === 'subscribe' && target.searchParams.get('hub.verify_token') === this.verifyToken
        response.writeHead(ok ? 200 : 403).end(ok ? target.searchParams.get('hub.challenge') ?? '' : 'forbidden')
        return
      }
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        this.attempts++
        if (this.failuresLeft > 0) {
          this.failuresLeft--
          response.writeHead(500).end('try later')
          return
        }
        const rawBody = Buffer.concat(chunks).toString('utf8')
        this.received.push({ rawBody, headers: request.headers, json: JSON.parse(rawBody) })
        response.writeHead(200).end('EVENT_RECEIVED')
        this.waiters = this.waiters.filter((waiter) => {
          if (this.received.length < waiter.count) return true
          waiter.resolve()
          return false
        })
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`
    return this
  }

  /** Resolves once `count` events have arrived in total. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ count, resolve }))
  }

  last(): ReceivedWebhook {
    const last = this.received.at(-1)
    if (!last) throw new Error('no webhook received')
    return last
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}

/** Subscribes the app (app token) and the given pages (page tokens) to Instagram webhooks. */
export async function subscribeWebhooks(h: Harness, receiver: WebhookReceiver, connected: Connected, pageIds: string[]): Promise<void> {
  const appToken = `${h.state.app.id}|${h.state.app.secret}`
  const app = await h.graph('POST', `/v25.0/${h.state.app.id}/subscriptions`, {
    object: 'instagram', callback_url: receiver.url, verify_token: receiver.verifyToken,
    fields: 'messages,message_reactions,messaging_seen,messaging_postbacks', access_token: appToken,
  })
  if (app.status !== 200) throw new Error('app subscription failed: ' + JSON.stringify(app.body))
  for (const pageId of pageIds) {
    const page = await h.graph('POST', `/v25.0/${pageId}/subscribed_apps`, { subscribed_fields: 'messages', access_token: connected.pageTokens[pageId] ?? '' })
    if (page.status !== 200) throw new Error('page subscription failed: ' + JSON.stringify(page.body))
  }
}

export const ids = {
  nordlichtPage: '108472910384756',
  nordlichtIg: '17841401234567801',
  hafenblickPage: '108472910384757',
  hafenblickIg: '17841401234567802',
  waldmeisterPage: '108472910384758',
  kiezPage: '108472910384759',
  lindgrenPage: '108472910384760',
  lindgrenIg: '17841401234567805',
}
