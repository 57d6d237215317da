import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import type { Parley } from '../core/app/parley.ts'
import { createAccessKey } from './accessKey.ts'
import { attachContractSocket } from './contractSocket.ts'
import { createHttpApp } from './httpApp.ts'

export interface BrowserHostOptions {
  parley: Parley
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  key?: string
}

export interface BrowserHost {
  url: string
  port: number
  close(): Promise<void>
}

/** The Node host: the built renderer and the contract over WebSocket, on 127.0.0.1 only. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const key = options.key ?? createAccessKey()
  let port = 0
  const app = createHttpApp({ rendererDir: options.rendererDir, key, port: () => port })
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  const sockets = attachContractSocket(server, options.parley, key, () => port)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?key=${key}`,
    port,
    async close() {
      const stopping = options.parley.stop()
      for (const client of sockets.clients) client.close(1001, 'Parley stopped')
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await stopping
    },
  }
}
