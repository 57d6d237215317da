// The contract over WebSocket for signed-in people (P3, P5). Every request runs as the person the
// session belongs to — read again from the store for each request, so a changed role, a sign-out
// or a deactivation on any node applies at once — and each window gets only the events meant for
// its person.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Parley } from '../../core/app/parley.ts'
import type { Logger } from '../../core/app/logger.ts'
import { describeError } from '../../core/app/logger.ts'
import { parseWireRequest, type WireMessage } from '../../core/contract/bridge.ts'
import type { CallContext } from '../../core/contract/context.ts'
import { reaches } from '../../core/contract/eventHub.ts'
import type { SessionEndReason } from '../../core/contract/people.ts'
import type { SignInService } from '../../core/people/signInService.ts'
import { credentialOf } from './sessionCookie.ts'

export const TEAM_SOCKET_PATH = '/ws'
const MAX_MESSAGE_BYTES = 1024 * 1024
/** How often an idle window's session is checked: it may have expired, or been ended elsewhere. */
const CHECK_MS = 60_000
/** Close code for "your session ended": the window shows Sign in rather than reconnecting. */
export const SIGNED_OUT_CLOSE = 4401

interface Connection {
  ws: WebSocket
  token: string
  context: CallContext
  lastUsedAt: number
}

export interface TeamSocketDeps {
  parley: Parley
  signIn: SignInService
  /** Browsers: the page asking must be the server's own (a page of another site must not drive Parley). */
  sameOrigin: (request: IncomingMessage) => boolean
  log: Logger
}

export function attachTeamSocket(server: Server, deps: TeamSocketDeps): { close(): void; count(): number } {
  const { parley, signIn, log } = deps
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const connections = new Set<Connection>()
  const refuse = (socket: Duplex, status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      if (new URL(request.url ?? '/', 'http://parley').pathname !== TEAM_SOCKET_PATH) return refuse(socket, '404 Not Found')
      const credential = credentialOf({ authorization: request.headers.authorization, cookie: request.headers.cookie })
      if (credential?.client === 'browser' && !deps.sameOrigin(request)) return refuse(socket, '403 Forbidden')
      const context = credential ? await signIn.authenticate(credential.token, credential.client) : null
      if (!credential || !context) return refuse(socket, '401 Unauthorized')
      wss.handleUpgrade(request, socket, head, (ws) => serve({ ws, token: credential.token, context, lastUsedAt: Date.now() }))
    })().catch((error: unknown) => {
      log.warn('a window could not connect', describeError(error))
      refuse(socket, '503 Service Unavailable')
    })
  })

  /** The window is told why, then closed with a code that tells it not to reconnect. */
  const endSession = (connection: Connection, reason: SessionEndReason) => {
    const { ws } = connection
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: { name: 'session.ended', payload: { reason } } } satisfies WireMessage))
    ws.close(SIGNED_OUT_CLOSE, 'Signed out')
  }
  const unsubscribeEnded = parley.onSessionsEnded((personId, reason) => {
    for (const connection of connections) if (connection.context.actor.personId === personId) endSession(connection, reason)
  })
  const checker = setInterval(() => {
    for (const connection of connections) {
      void signIn.stillValid(connection.token, connection.lastUsedAt).then(
        (valid) => void (valid || endSession(connection, 'expired')),
        () => {}, // The store is away for a moment: check again next time.
      )
    }
  }, CHECK_MS)
  checker.unref()

  function serve(connection: Connection): void {
    const { ws } = connection
    connections.add(connection)
    const send = (message: WireMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message))
    const unsubscribe = parley.events.subscribe((event, audience) => {
      if (reaches(audience, connection.context.actor)) send({ event })
    })
    const closed = () => {
      connections.delete(connection)
      unsubscribe()
    }
    ws.on('close', closed)
    ws.on('error', closed)
    send({ event: { name: 'app.status', payload: parley.status() } })

    ws.on('message', async (data, isBinary) => {
      const request = isBinary ? undefined : parseWireRequest(data.toString())
      if (!request) return send({ id: null, reply: { ok: false, error: { code: 'invalid_request', message: 'Messages must be JSON {id, name, input}.' } } })
      let context: CallContext | null
      try {
        context = await signIn.authenticate(connection.token, connection.context.client)
      } catch (error) {
        log.warn('a session could not be checked', describeError(error))
        return send({ id: request.id, reply: { ok: false, error: { code: 'store_unreachable', message: 'Parley cannot reach its database at the moment. Try again shortly.' } } })
      }
      if (!context) {
        send({ id: request.id, reply: { ok: false, error: { code: 'not_signed_in', message: 'Your session has ended. Sign in again.' } } })
        return endSession(connection, 'expired')
      }
      connection.context = context
      connection.lastUsedAt = Date.now()
      const reply = await parley.dispatcher.invoke(request.name, request.input, context)
      send({ id: request.id, reply })
      if (request.name === 'session.signOut' && reply.ok) endSession(connection, 'signed_out')
    })
  }

  return {
    count: () => connections.size,
    close() {
      clearInterval(checker)
      unsubscribeEnded()
      for (const { ws } of connections) ws.close(1001, 'Parley stopped')
      wss.close()
    },
  }
}
