import type { ParleyBridge } from '../../../src-main/core/contract/index.ts'
import { readBootAnswers, withBootAnswers } from './bootAnswers.ts'
import { createApiClient, type ApiClient } from './client.ts'
import { createWebSocketBridge, type ConnectionState } from './websocketBridge.ts'

declare global {
  interface Window {
    /** Present in the desktop app: exposed by the preload through contextBridge. */
    parley?: ParleyBridge
  }
}

export interface Connection {
  api: ApiClient
  transport: 'ipc' | 'websocket'
  onConnection(listener: (state: ConnectionState) => void): () => void
}

/** Picks the desktop bridge when the preload provided one, else the browser host's WebSocket. */
export function connect(win: Window = window): Connection {
  if (win.parley) {
    return { api: createApiClient(win.parley), transport: 'ipc', onConnection: (listener) => (listener('connected'), () => {}) }
  }
  const { protocol, host, search } = win.location
  // This computer's browser host wants its launch key; a Parley server knows the window by its session cookie.
  const key = new URLSearchParams(search).get('key')
  const socket = createWebSocketBridge(`${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws${key === null ? '' : `?key=${encodeURIComponent(key)}`}`)
  // The browser host serves the page with the answers the window needs first.
  const bridge = withBootAnswers(socket, readBootAnswers(win.document))
  return { api: createApiClient(bridge), transport: 'websocket', onConnection: bridge.onConnection }
}

/**
 * Calls `listener` each time the connection comes up again after the window started (not for the
 * state it has now): what main announced meanwhile, this window has missed.
 */
export function onConnected(connection: Connection, listener: () => void): () => void {
  let current = true
  const off = connection.onConnection((state) => {
    if (!current && state === 'connected') listener()
  })
  current = false
  return off
}

export { ApiError } from './client.ts'
export type { ApiClient } from './client.ts'
export type { ConnectionState } from './websocketBridge.ts'
