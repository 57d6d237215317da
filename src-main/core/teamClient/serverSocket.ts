// The desktop app's line to a Parley server (P3, team mode): the contract over one WebSocket,
// authenticated by the session token from the keychain, reconnecting by itself. A closed session
// (close code 4401, or 401 at the upgrade) ends it: the window then shows Sign in.
import WebSocket from 'ws'
import type { EventMessage } from '../contract/events.ts'
import type { Reply, WireMessage } from '../contract/index.ts'

export type ServerSocketState = 'connecting' | 'connected' | 'reconnecting' | 'signedOut' | 'closed'

export interface ServerSocket {
  invoke(name: string, input: unknown): Promise<Reply<unknown>>
  onEvent(listener: (event: EventMessage) => void): () => void
  onState(listener: (state: ServerSocketState) => void): () => void
  state(): ServerSocketState
  close(): void
}

const RETRY_MS = [250, 500, 1000, 2000, 5000, 10_000]
const SIGNED_OUT_CLOSE = 4401
const UNREACHABLE: Reply<never> = { ok: false, error: { code: 'disconnected', message: 'The connection to the Parley server was lost. Try again.' } }
const SIGNED_OUT: Reply<never> = { ok: false, error: { code: 'not_signed_in', message: 'Your session has ended. Sign in again.' } }

/** `serverUrl` is the server's origin (https://…); the socket is its `/ws`. */
export function connectServerSocket(serverUrl: string, token: string): ServerSocket {
  const url = `${serverUrl.replace(/^http/, 'ws')}/ws`
  const pending = new Map<number, (reply: Reply<unknown>) => void>()
  const events = new Set<(event: EventMessage) => void>()
  const states = new Set<(state: ServerSocketState) => void>()
  let state: ServerSocketState = 'connecting'
  let attempt = 0
  let nextId = 1
  let socket: WebSocket
  let opened: Promise<void>

  const setState = (next: ServerSocketState) => {
    if (state === next) return
    state = next
    for (const listener of states) listener(next)
  }
  const failPending = (reply: Reply<never>) => {
    for (const [id, resolve] of pending) {
      pending.delete(id)
      resolve(reply)
    }
  }

  function open(): void {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, maxPayload: 16 * 1024 * 1024 })
    socket = ws
    opened = new Promise<void>((resolve) => {
      ws.once('open', () => resolve())
      ws.once('close', () => resolve())
    })
    ws.on('open', () => {
      attempt = 0
      setState('connected')
    })
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireMessage
      if ('event' in message) for (const listener of events) listener(message.event)
      else if (message.id !== null) {
        pending.get(message.id)?.(message.reply)
        pending.delete(message.id)
      }
    })
    // The server refused the upgrade: 401 means the session is gone.
    ws.on('unexpected-response', (_request, response) => {
      if (response.statusCode === 401) setState('signedOut')
      ws.terminate()
    })
    ws.on('error', () => {})
    ws.on('close', (code) => {
      if (code === SIGNED_OUT_CLOSE) setState('signedOut')
      failPending(state === 'signedOut' ? SIGNED_OUT : UNREACHABLE)
      if (state === 'signedOut' || state === 'closed') return
      setState('reconnecting')
      setTimeout(() => state === 'reconnecting' && open(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]).unref?.()
    })
  }
  open()

  return {
    async invoke(name, input) {
      if (state === 'connecting') await opened
      if (state === 'signedOut') return SIGNED_OUT
      if (socket.readyState !== WebSocket.OPEN) return UNREACHABLE
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, name, input }))
      })
    },
    onEvent(listener) {
      events.add(listener)
      return () => events.delete(listener)
    },
    onState(listener) {
      states.add(listener)
      return () => states.delete(listener)
    },
    state: () => state,
    close() {
      setState('closed')
      socket.close(1000)
      failPending(UNREACHABLE)
    },
  }
}
