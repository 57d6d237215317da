import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import type { Parley } from '../core/app/parley.ts'
import { answerBoot } from '../core/contract/boot.ts'
import { createAccessKey } from './accessKey.ts'
import { attachContractSocket } from './contractSocket.ts'
import { createHttpApp, LOGIN_CALLBACK_PATH } from './httpApp.ts'

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
  const { parley } = options
  const app = createHttpApp({
    rendererDir: options.rendererDir,
    key,
    port: () => port,
    login: {
      complete: (url) => parley.completeLoginRedirect(url),
      logoutUrl: (next) => `${parley.meta.backend().webBase}/logout.php?${new URLSearchParams({ next })}`,
    },
    media: (path) => parley.media.serve(path),
    attachments: parley.attachments,
    boot: () => answerBoot(parley.dispatcher),
  })
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  const sockets = attachContractSocket(server, parley, key, () => port)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  parley.setHost('browser')
  // The window opens Facebook's dialog in a popup; the code comes back to our loopback callback.
  parley.setLoginPresenter({
    responseType: 'code',
    redirectUri: `http://127.0.0.1:${port}${LOGIN_CALLBACK_PATH}`,
    present: ({ url }) => url,
    // The popup's Facebook session already ended at the callback (logout.php).
    endSession: async () => {},
  })

  return {
    url: `http://127.0.0.1:${port}/?key=${key}`,
    port,
    async close() {
      const stopping = parley.stop()
      for (const client of sockets.clients) client.close(1001, 'Parley stopped')
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await stopping
    },
  }
}
