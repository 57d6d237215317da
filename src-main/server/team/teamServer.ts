// One node of the Parley server (P1): HTTP or HTTPS, the window and the contract for signed-in
// people, health, and Meta's webhooks — on one port. Several nodes may share one database.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { Context } from 'hono'
import type { Logger } from '../../core/app/logger.ts'
import { DESKTOP_REDIRECT_URI } from '../../core/auth/loginPresenter.ts'
import { clientAddress } from './clientAddress.ts'
import { openTeamParley, type TeamParley } from './openTeamParley.ts'
import type { TeamConfig } from './teamConfig.ts'
import { createMetaRoutes, createTeamHttpApp } from './teamHttp.ts'
import { attachTeamSocket } from './teamSocket.ts'

export interface TeamServer {
  /** This node's own address. */
  url: string
  /** Where people and Meta reach the team (PARLEY_PUBLIC_URL, or this node's address). */
  publicUrl: string
  node: TeamParley
  close(): Promise<void>
}

export interface TeamServerOptions {
  config: TeamConfig
  rendererDir: string
  env: NodeJS.ProcessEnv
  log: Logger
}

export async function startTeamServer({ config, rendererDir, env, log }: TeamServerOptions): Promise<TeamServer> {
  // The request handler exists before core does: the port is known (and Meta's address with it) before core starts receiving.
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | null = null
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (handle) return handle(request, response)
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }).end('Parley is starting.')
  }
  const server: Server = config.tls ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }, listener) : createHttpServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const scheme = config.tls ? 'https' : 'http'
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `${scheme}://${shownHost}:${port}`
  const publicUrl = config.publicUrl ?? url

  // Behind a TLS proxy on this machine the proxy says which scheme and host the browser used.
  const viaProxy = (peer: string | undefined) => !config.tls && (peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1')
  const requestOrigin = (headers: IncomingMessage['headers'], peer: string | undefined) => {
    const forwarded = viaProxy(peer) ? String(headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() : ''
    return `${forwarded === 'https' ? 'https' : scheme}://${headers.host ?? ''}`
  }
  const allowedOrigin = (origin: string | undefined, headers: IncomingMessage['headers'], peer: string | undefined) =>
    origin !== undefined && (origin === publicUrl || origin === requestOrigin(headers, peer))
  const incoming = (c: Context) => (c.env as { incoming: IncomingMessage }).incoming
  const metaRoutes = createMetaRoutes()

  let node: TeamParley
  try {
    node = await openTeamParley(config, {
      env,
      log,
      nodeUrl: url,
      webhooks: { origin: publicUrl, mount: (routes) => metaRoutes.mount(routes) },
    })
  } catch (error) {
    server.close()
    throw error
  }
  const { parley, store, cluster } = node
  const app = createTeamHttpApp({
    parley,
    metaRoutes,
    rendererDir,
    secure: (c) => scheme === 'https' || (viaProxy(incoming(c).socket.remoteAddress) && c.req.header('x-forwarded-proto') === 'https'),
    sameOrigin: (c) => allowedOrigin(c.req.header('origin'), incoming(c).headers, incoming(c).socket.remoteAddress),
    address: (c) => clientAddress(incoming(c).socket.remoteAddress, c.req.header('x-forwarded-for')),
    log,
    ready: async () => {
      const database = await store.ready().catch((error: unknown) => ({ ready: false, reason: (error as Error).message }))
      const listening = cluster.healthy()
      return { ready: database.ready && listening, checks: { database: database.ready ? true : (database.reason ?? false), cluster: listening } }
    },
  })
  handle = getRequestListener(app.fetch)
  const sockets = attachTeamSocket(server, {
    parley,
    signIn: parley.signIn!,
    sameOrigin: (request) => allowedOrigin(request.headers.origin, request.headers, request.socket.remoteAddress),
    log,
  })

  // Facebook's dialog: in a browser, a popup whose code comes back to /auth/callback; in the desktop
  // app, its own login window, whose redirect its main process hands over with `login.complete`.
  parley.setHost('browser')
  parley.setLoginPresenter(
    { responseType: 'code', redirectUri: `${publicUrl}/auth/callback`, present: ({ url: dialog }) => dialog, endSession: async () => {} },
    'browser',
  )
  parley.setLoginPresenter({ responseType: 'token', redirectUri: DESKTOP_REDIRECT_URI, present: ({ url: dialog }) => dialog, endSession: async () => {} }, 'desktop')

  return {
    url,
    publicUrl,
    node,
    async close() {
      const stopping = parley.stop()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await stopping
    },
  }
}
