import type { EventMessage, ParleyBridge, Reply, WireMessage } from '../../../src-main/core/contract/index.ts'

/** `signedOut`: the Parley server ended this window's session (close code 4401) — no reconnecting. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped' | 'signedOut'

/** The Parley server closes a window whose session ended with this code. */
export const SIGNED_OUT_CLOSE = 4401

export interface WebSocketBridge extends ParleyBridge {
  onConnection(listener: (state: ConnectionState) => void): () => void
  close(): void
}

const RETRY_MS = [250, 500, 1000, 2000, 5000]
const DISCONNECTED: Reply<never> = {
  ok: false,
  error: { code: 'disconnected', message: 'The connection to Parley was lost. Try again.' },
}

/** The browser host's transport: the contract over one WebSocket that reconnects by itself. */
export function createWebSocketBridge(url: string, WebSocketImpl: typeof WebSocket = WebSocket): WebSocketBridge {
  const pending = new Map<number, (reply: Reply<unknown>) => void>()
  const eventListeners = new Set<(event: EventMessage) => void>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = 'connecting'
  let nextId = 1
  let attempt = 0
  let closed = false
  let everConnected = false
  const openWaiters: (() => void)[] = []
  let socket = open()

  function setState(next: ConnectionState) {
    state = next
    for (const listener of connectionListeners) listener(next)
  }

  function open(): WebSocket {
    const ws = new WebSocketImpl(url)
    ws.addEventListener('open', () => {
      attempt = 0
      everConnected = true
      setState('connected')
      for (const resolve of openWaiters.splice(0)) resolve()
    })
    ws.addEventListener('message', (event) => receive(String(event.data)))
    ws.addEventListener('close', (event) => {
      // Requests in flight will never be answered by this socket: say so rather than hang.
      for (const [id, resolve] of pending) {
        pending.delete(id)
        resolve(DISCONNECTED)
      }
      if (event.code === SIGNED_OUT_CLOSE) setState('signedOut')
      if (closed || state === 'stopped' || state === 'signedOut') return
      setState('reconnecting')
      setTimeout(() => {
        if (closed) return
        socket = open()
      }, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)])
    })
    return ws
  }

  function receive(text: string) {
    const message = JSON.parse(text) as WireMessage
    if ('event' in message) {
      if (message.event.name === 'app.status' && message.event.payload.phase === 'stopping') setState('stopped')
      for (const listener of eventListeners) listener(message.event)
    } else if (message.id !== null) {
      pending.get(message.id)?.(message.reply)
      pending.delete(message.id)
    }
  }

  return {
    async invoke(name, input) {
      // Until the first connection, wait for it (the window is still starting); after that, a
      // request made while disconnected fails at once so the person sees why.
      if (!everConnected) await new Promise<void>((resolve) => openWaiters.push(resolve))
      if (socket.readyState !== socket.OPEN) return DISCONNECTED
      const id = nextId++
      return new Promise<Reply<unknown>>((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, name, input }))
      })
    },
    on(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      listener(state)
      return () => connectionListeners.delete(listener)
    },
    close() {
      closed = true
      socket.close()
    },
  }
}
