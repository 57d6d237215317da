// A real HTTP server on 127.0.0.1 that answers like Graph: each test scripts the replies per route
// and reads back what the client actually sent. No mocked fetch anywhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGraphClient, type GraphClientOptions } from '../../../src-main/core/graph/index.ts'

export interface RecordedRequest {
  method: string
  /** Path without the version prefix: `/me/accounts`. */
  path: string
  version: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown
}

export interface HttpReply {
  status?: number
  json?: unknown
  /** A raw body (sent as text/html), for answers that are not JSON. */
  text?: string
  headers?: Record<string, string>
}

export type Reply =
  | HttpReply
  /** Read the request, then drop the connection without answering. */
  | 'destroy'
  /** Never answer (until the server closes). */
  | 'hang'
  /** Send headers and half a body, then drop the connection. */
  | 'partial'

export interface FakeMeta {
  url: string
  requests: RecordedRequest[]
  /** Replies for `METHOD /path` in order; the last one repeats. */
  on(route: string, ...replies: Reply[]): void
  close(): Promise<void>
}

export async function startFakeMeta(): Promise<FakeMeta> {
  const routes = new Map<string, Reply[]>()
  const requests: RecordedRequest[] = []

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (raw += chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const match = /^\/(v\d+\.\d+)(\/.*)?$/.exec(url.pathname)
      const version = match?.[1] ?? ''
      const path = match ? (match[2] ?? '/') : url.pathname
      let body: unknown = raw
      try {
        body = raw === '' ? undefined : JSON.parse(raw)
      } catch {
        // kept as text
      }
      requests.push({ method: req.method ?? 'GET', path, version, query: Object.fromEntries(url.searchParams), headers: req.headers, body })
      const queue = routes.get(`${req.method} ${path}`)
      const reply: Reply = queue && queue.length > 0 ? (queue.length > 1 ? queue.shift()! : queue[0]!) : notFound(path)
      answer(req, res, reply)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(route, ...replies) {
      routes.set(route, replies)
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function notFound(path: string): Reply {
  return { status: 400, json: { error: { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500, fbtrace_id: 'AnotFound' } } }
}

function answer(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (reply === 'destroy') return void req.socket.destroy()
  if (reply === 'hang') return
  if (reply === 'partial') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' })
    res.write('{"data":[{"id":"1')
    setTimeout(() => req.socket.destroy(), 20)
    return
  }
  const text = reply.text ?? JSON.stringify(reply.json ?? {})
  res.writeHead(reply.status ?? 200, { 'content-type': reply.text === undefined ? 'application/json; charset=UTF-8' : 'text/html', ...reply.headers })
  res.end(text)
}

/** Meta's error body: {"error":{message,type,code,error_subcode?,is_transient?,fbtrace_id}}. */
export function metaError(code: number, message: string, extra: { subcode?: number; type?: string; isTransient?: boolean; status?: number } = {}): HttpReply {
  const error: Record<string, unknown> = { message, type: extra.type ?? 'OAuthException', code }
  if (extra.subcode !== undefined) error.error_subcode = extra.subcode
  if (extra.isTransient !== undefined) error.is_transient = extra.isTransient
  error.fbtrace_id = 'AbC123traceXYZ'
  return { status: extra.status ?? 400, json: { error } }
}

export const APP_ID = '1234567890123456'
export const APP_SECRET = 'test-app-secret-5f4dcc3b5aa765d61d8327deb882cf99'
export const USER_TOKEN = 'EAAGuserTokenForTests0123456789abcdefABCDEF'
export const PAGE_TOKEN = 'EAAGpageTokenForTests0123456789abcdefABCDEF'

export interface TestClient {
  client: ReturnType<typeof createGraphClient>
  /** Every backoff the client asked for, in ms; sleeping itself is instant. */
  sleeps: number[]
}

export function testClient(meta: FakeMeta, options: Partial<GraphClientOptions> = {}): TestClient {
  const sleeps: number[] = []
  const client = createGraphClient({
    graphBase: meta.url,
    webBase: meta.url,
    version: 'v25.0',
    appId: APP_ID,
    appSecret: async () => APP_SECRET,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => Date.UTC(2026, 5, 1, 12, 0, 0),
    random: () => 0.5,
    ...options,
  })
  return { client, sleeps }
}
