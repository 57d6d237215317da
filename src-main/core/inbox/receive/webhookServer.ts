import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { WebhookReceiver } from './webhookReceiver.ts'

export const WEBHOOK_PATH = '/webhooks/instagram'

/** The receiver on its own loopback port (sandbox mode; a public URL in live mode is configured separately). */
export async function startWebhookServer(receiver: WebhookReceiver, options: { host?: string; port?: number } = {}) {
  const app = new Hono()
  app.get(WEBHOOK_PATH, (c) => {
    const answer = receiver.verify(new URL(c.req.url).searchParams)
    return c.text(answer.body, answer.status as 200)
  })
  app.post(WEBHOOK_PATH, async (c) => {
    const answer = await receiver.receive(Buffer.from(await c.req.arrayBuffer()), c.req.header('x-hub-signature-256'))
    return c.text(answer.body, answer.status as 200)
  })
  const host = options.host ?? '127.0.0.1'
  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }) as Server
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve()
    server.once('listening', () => resolve())
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}${WEBHOOK_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
