import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src-main/core/contract/index.ts'
import { bootScript, type BootAnswer } from '../../src-main/core/contract/boot.ts'
import { readBootAnswers, withBootAnswers } from '../../src-renderer/src/api/bootAnswers.ts'
import type { ConnectionState, WebSocketBridge } from '../../src-renderer/src/api/websocketBridge.ts'

/** A socket that records what it was asked and answers "live". */
function fakeSocket() {
  const asked: string[] = []
  const listeners = new Set<(state: ConnectionState) => void>()
  const bridge: WebSocketBridge = {
    invoke: async (name) => (asked.push(name), { ok: true, value: 'live' }),
    on: () => () => {},
    onConnection: (listener) => (listeners.add(listener), listener('connecting'), () => listeners.delete(listener)),
    close: () => {},
  }
  return { bridge, asked, connect: () => listeners.forEach((listener) => listener('connected')) }
}

const page: BootAnswer[] = [
  { name: 'settings.get', reply: { ok: true, value: { language: 'de', theme: 'dark' } } },
  { name: 'inbox.list', input: { limit: 100 }, reply: { ok: true, value: 'from the page' } },
]

describe('the answers the page came with', () => {
  it('are read from the page, and none when there are none or they are not JSON', () => {
    document.body.innerHTML = bootScript(page)
    expect(readBootAnswers(document)).toEqual(page)
    document.body.innerHTML = '<script type="application/json" id="parley-boot">{oops</script>'
    expect(readBootAnswers(document)).toEqual([])
    document.body.innerHTML = ''
    expect(readBootAnswers(document)).toEqual([])
  })

  it('answer each request once, for exactly the input they were made for, without asking main', async () => {
    const socket = fakeSocket()
    const bridge = withBootAnswers(socket.bridge, structuredClone(page))
    expect(await bridge.invoke('inbox.list', { limit: 50 })).toEqual({ ok: true, value: 'live' })
    expect(await bridge.invoke('inbox.list', { limit: 100 })).toEqual({ ok: true, value: 'from the page' })
    expect(await bridge.invoke('inbox.list', { limit: 100 })).toEqual({ ok: true, value: 'live' })
    expect(socket.asked).toEqual(['inbox.list', 'inbox.list'])
  })

  it('are stale once the connection is up: from then on every answer is live', async () => {
    const socket = fakeSocket()
    const bridge = withBootAnswers(socket.bridge, structuredClone(page))
    socket.connect()
    const reply: Reply<unknown> = await bridge.invoke('settings.get')
    expect(reply).toEqual({ ok: true, value: 'live' })
    expect(socket.asked).toEqual(['settings.get'])
  })
})
