import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { parseWireRequest, type WireMessage } from '../core/contract/bridge.ts'
import type { Parley } from '../core/app/parley.ts'
import { isLoopbackHost, keyCookieName, keyMatches, readCookie } from './accessKey.ts'

export const SOCKET_PATH = '/ws'
const MAX_MESSAGE_BYTES = 1024 * 1024

/** Serves the same contract as Electron IPC, over WebSocket, to pages served with the launch key. */
export function attachContractSocket(server: Server, parley: Parley, key: string, port: () => number): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!mayConnect(request, key, port())) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, parley))
  })
  return wss
}

function mayConnect(request: IncomingMessage, key: string, port: number): boolean {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== SOCKET_PATH || !isLoopbackHost(request.headers.host, port)) return false
  // A page from any other origin must not drive Parley, even if it learnt the key.
  const origin = request.headers.origin
  if (origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return false
  const presented = url.searchParams.get('key') ?? readCookie(request.headers.cookie, keyCookieName(port))
  return keyMatches(presented, key)
}

function serveSocket(ws: WebSocket, parley: Parley): void {
  const send = (message: WireMessage) => ws.send(JSON.stringify(message))
  const unsubscribe = parley.events.subscribe((event) => send({ event }))
  ws.on('close', unsubscribe)
  ws.on('error', unsubscribe)
  send({ event: { name: 'app.status', payload: parley.status() } })

  ws.on('message', async (data, isBinary) => {
    const request = isBinary ? undefined : parseWireRequest(data.toString())
    if (!request) {
      send({ id: null, reply: { ok: false, error: { code: 'invalid_request', message: 'Messages must be JSON {id, name, input}.' } } })
      return
    }
    const reply = await parley.dispatcher.invoke(request.name, request.input)
    if (ws.readyState === ws.OPEN) send({ id: request.id, reply })
  })
}
