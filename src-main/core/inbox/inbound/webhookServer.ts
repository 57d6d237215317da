// The webhook receiver on its own HTTP port: loopback in sandbox mode, behind a public URL in live
// mode. Reads the raw bytes (the signature covers them) and stops reading past the size limit.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { WebhookAnswer, WebhookReceiver } from './webhookReceiver.ts'

export const DEFAULT_WEBHOOK_PATH = '/webhooks/instagram'

export interface WebhookServerOptions {
  receiver: WebhookReceiver
  host?: string
  /** 0 picks a free port. */
  port?: number
  path?: string
  /** Further routes Meta must reach on the same address (the files of attachment replies). */
  mount?: (app: Hono) => void
}

export interface RunningWebhookServer {
  /** The callback URL to register with Meta (or the sandbox). */
  url: string
  /** Scheme, host and port the server answers on. */
  origin: string
  close(): Promise<void>
}

/** Reads at most `limit + 1` bytes: enough to know a body is too large without buffering all of it. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
    if (size > limit) {
      await reader.cancel()
      break
    }
  }
  return Buffer.concat(chunks)
}

const answer = (a: WebhookAnswer) => new Response(a.body, { status: a.status, headers: { 'content-type': a.contentType ?? 'text/plain; charset=utf-8' } })

const NOT_RECEIVING: WebhookAnswer = { status: 503, body: 'Parley is not receiving webhooks at the moment; Meta delivers again later.' }

/**
 * Meta's two requests on `path` of `app`: the subscription's verification (GET) and the events
 * (POST). `receiver` is asked per request: a host whose way of receiving changes (the team server
 * switching modes) keeps its routes; null answers 503, and Meta tries again later.
 */
export function mountWebhookRoutes(app: Hono, receiver: () => WebhookReceiver | null, path = DEFAULT_WEBHOOK_PATH): void {
  app.get(path, (c) => answer(receiver()?.verify(new URL(c.req.url).searchParams) ?? NOT_RECEIVING))
  app.post(path, async (c) => {
    const current = receiver()
    if (!current) return answer(NOT_RECEIVING)
    const declared = Number(c.req.header('content-length'))
    // A declared size over the limit is refused before reading; receive() logs and answers it.
    const raw = Number.isFinite(declared) && declared > current.maxBodyBytes
      ? Buffer.alloc(current.maxBodyBytes + 1)
      : await readLimited(c.req.raw.body, current.maxBodyBytes)
    return answer(await current.receive(raw, c.req.raw.headers))
  })
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<RunningWebhookServer> {
  const { receiver } = options
  const path = options.path ?? DEFAULT_WEBHOOK_PATH
  const host = options.host ?? '127.0.0.1'
  const app = new Hono()
  mountWebhookRoutes(app, () => receiver, path)
  options.mount?.(app)

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }) as Server
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve()
    server.once('listening', () => resolve())
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url: `${origin}${path}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
