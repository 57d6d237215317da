import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { startBrowserHost, type BrowserHost } from '../../../src-main/server/browserHost.ts'
import { createWebSocketBridge, type ConnectionState } from '../../../src-renderer/src/api/websocketBridge.ts'
import { createCoreBridge } from '../../fixtures/coreBridge.ts'

// The renderer's WebSocket client against the real browser host. `ws` stands in for the
// browser's WebSocket (same event API) with the Origin header a browser would send.
let host: BrowserHost | undefined
afterEach(async () => {
  await host?.close()
  host = undefined
})

async function startHost(port = 0) {
  const core = await createCoreBridge()
  host = await startBrowserHost({ parley: core.parley, rendererDir: mkdtempSync(join(tmpdir(), 'r-')), port, key: 'k'.repeat(32) })
  return host
}

function browserLikeWebSocket(origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin })
    }
  } as never
}

async function until(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('the renderer’s WebSocket bridge', () => {
  it('waits for the first connection, then answers commands', async () => {
    const { port } = await startHost()
    const origin = `http://127.0.0.1:${port}`
    const bridge = createWebSocketBridge(`ws://127.0.0.1:${port}/ws?key=${'k'.repeat(32)}`, browserLikeWebSocket(origin))
    const states: ConnectionState[] = []
    bridge.onConnection((state) => states.push(state))
    expect(await bridge.invoke('settings.get')).toEqual({ ok: true, value: { language: 'en', theme: 'system' } })
    expect(states).toEqual(['connecting', 'connected'])
    bridge.close()
  })

  it('stops retrying once Parley says it is stopping, and fails requests plainly', async () => {
    const { port } = await startHost()
    const bridge = createWebSocketBridge(`ws://127.0.0.1:${port}/ws?key=${'k'.repeat(32)}`, browserLikeWebSocket(`http://127.0.0.1:${port}`))
    const states: ConnectionState[] = []
    bridge.onConnection((state) => states.push(state))
    await bridge.invoke('app.info')
    await host!.close()
    host = undefined
    await until(() => states.includes('stopped'))
    expect(await bridge.invoke('app.info')).toMatchObject({ ok: false, error: { code: 'disconnected' } })
    expect(states).not.toContain('reconnecting')
    bridge.close()
  })

  it('fails a request in flight when the connection drops, then reconnects by itself', async () => {
    // A bare WebSocket server that swallows requests, so a connection can be cut mid-request.
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    const bridge = createWebSocketBridge(`ws://127.0.0.1:${port}/`, browserLikeWebSocket(`http://127.0.0.1:${port}`))
    const states: ConnectionState[] = []
    bridge.onConnection((state) => states.push(state))
    await until(() => states.includes('connected'))

    const pending = bridge.invoke('app.info')
    await until(() => server.clients.size === 1)
    for (const client of server.clients) client.terminate()
    expect(await pending).toMatchObject({ ok: false, error: { code: 'disconnected' } })
    await until(() => states.filter((s) => s === 'connected').length === 2)
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected'])
    bridge.close()
    server.close()
  })
})
