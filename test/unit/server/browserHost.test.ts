import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { BOOT_ELEMENT_ID, BOOT_REQUESTS, type BootAnswer } from '../../../src-main/core/contract/boot.ts'
import { startBrowserHost, type BrowserHost } from '../../../src-main/server/browserHost.ts'
import { createCoreBridge } from '../../fixtures/coreBridge.ts'

function makeRendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-renderer-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  return dir
}

let host: BrowserHost | undefined
afterEach(async () => {
  await host?.close()
  host = undefined
})

async function start(rendererDir = makeRendererDir()) {
  const core = await createCoreBridge()
  host = await startBrowserHost({ parley: core.parley, rendererDir, port: 0, key: 'launch-key-123' })
  return { host, core, base: `http://127.0.0.1:${host.port}` }
}

/** fetch() will not let a test set Host; node:http will. */
function getWithHost(url: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host: hostHeader } }, (res) => {
      res.resume()
      resolve(res.statusCode!)
    })
      .on('error', reject)
      .end()
  })
}

function openSocket(url: string, origin: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin })
    const messages: unknown[] = []
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())))
    ws.once('open', () => resolve({ ws, messages }))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

async function nextMessage(messages: unknown[], count: number): Promise<unknown> {
  for (let i = 0; i < 200 && messages.length < count; i++) await new Promise((r) => setTimeout(r, 10))
  return messages[count - 1]
}

describe('the browser host over HTTP', () => {
  it('prints an address on 127.0.0.1 that carries the launch key', async () => {
    const { host } = await start()
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?key=launch-key-123`)
  })

  it('serves the window to the key holder with a strict CSP, and remembers the key in a cookie', async () => {
    const { base, host } = await start()
    const response = await fetch(`${base}/?key=launch-key-123`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<title>Parley</title>')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(new RegExp(`^parley_key_${host.port}=launch-key-123;`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')

    expect(response.headers.get('cache-control')).toBe('no-store')
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie: `parley_key_${host.port}=launch-key-123` } })
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    // Built names carry their content's hash: a browser may keep them; the page it asks for again.
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it("puts the answers to the window's first requests in its page: the same the socket gives", async () => {
    const { base, core } = await start()
    const page = await (await fetch(`${base}/?key=launch-key-123`)).text()
    const json = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">(.*?)</script>`, 's').exec(page)?.[1]
    const answers = JSON.parse(json!) as BootAnswer[]
    expect(answers.map(({ name, input }) => ({ name, input }))).toEqual(BOOT_REQUESTS.map(({ name, input }) => ({ name, input })))
    for (const { name, input, reply } of answers) {
      // Meta's time moves on between the two: the rest is the same answer.
      if (name === 'app.clock') expect(reply).toMatchObject({ ok: true, value: { now: expect.any(Number) } })
      else expect(reply).toEqual(await core.parley.dispatcher.invoke(name, input))
    }
  })

  it.each([
    ['no key', '/'],
    ['a wrong key', '/?key=launch-key-124'],
    ['a key of another length', '/?key=x'],
    ['an asset without the cookie', '/assets/app.js'],
  ])('refuses %s', async (_what, path) => {
    const { base } = await start()
    const response = await fetch(`${base}${path}`)
    expect(response.status).toBe(403)
    expect(await response.text()).not.toContain('launch-key-123')
  })

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const { base, host } = await start()
    expect(await getWithHost(`${base}/?key=launch-key-123`, `evil.example:${host.port}`)).toBe(403)
    expect(await getWithHost(`${base}/?key=launch-key-123`, `localhost:${host.port}`)).toBe(200)
  })

  it('says how to build the window when it has not been built', async () => {
    const { base } = await start(join(tmpdir(), 'parley-no-such-dir'))
    const response = await fetch(`${base}/?key=launch-key-123`)
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('npm run build')
  })
})

describe('the browser host over WebSocket', () => {
  it('greets a connection with the app status and answers commands', async () => {
    const { base, host } = await start()
    const { ws, messages } = await openSocket(`${base.replace('http', 'ws')}/ws?key=launch-key-123`, base)
    expect(await nextMessage(messages, 1)).toEqual({ event: { name: 'app.status', payload: { mode: 'sandbox', phase: 'ready' } } })
    ws.send(JSON.stringify({ id: 7, name: 'settings.set', input: { language: 'de' } }))
    expect(await nextMessage(messages, 2)).toEqual({ id: 7, reply: { ok: true, value: { language: 'de', theme: 'system' } } })
    ws.close()
    expect(host.port).toBeGreaterThan(0)
  })

  it('accepts the key from the cookie, as a page the host served would send it', async () => {
    const { base, host } = await start()
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, {
      origin: base,
      headers: { cookie: `parley_key_${host.port}=launch-key-123` },
    })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    ws.close()
  })

  it.each([
    ['without the key', '/ws', 'own'],
    ['with a wrong key', '/ws?key=nope', 'own'],
    ['from another origin', '/ws?key=launch-key-123', 'https://evil.example'],
    ['on another path', '/other?key=launch-key-123', 'own'],
  ])('refuses a socket %s', async (_what, path, origin) => {
    const { base } = await start()
    await expect(openSocket(`${base.replace('http', 'ws')}${path}`, origin === 'own' ? base : origin)).rejects.toThrow('HTTP 403')
  })

  it('answers malformed messages with a typed error and stays open', async () => {
    const { base } = await start()
    const { ws, messages } = await openSocket(`${base.replace('http', 'ws')}/ws?key=launch-key-123`, base)
    ws.send('not json')
    expect(await nextMessage(messages, 2)).toMatchObject({ id: null, reply: { ok: false, error: { code: 'invalid_request' } } })
    ws.send(JSON.stringify({ id: 'one', name: 'app.info' }))
    expect(await nextMessage(messages, 3)).toMatchObject({ id: null, reply: { ok: false, error: { code: 'invalid_request' } } })
    ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await nextMessage(messages, 4)).toMatchObject({ id: null, reply: { ok: false, error: { code: 'invalid_request' } } })
    ws.send(JSON.stringify({ id: 1, name: 'settings.set', input: { language: 42 } }))
    expect(await nextMessage(messages, 5)).toMatchObject({ id: 1, reply: { ok: false, error: { code: 'invalid_input' } } })
    ws.send(JSON.stringify({ id: 2, name: 'app.info' }))
    expect(await nextMessage(messages, 6)).toMatchObject({ id: 2, reply: { ok: true } })
    ws.close()
  })

  it('closes a socket that sends an oversized message, without harming others', async () => {
    const { base } = await start()
    const url = `${base.replace('http', 'ws')}/ws?key=launch-key-123`
    const big = await openSocket(url, base)
    const other = await openSocket(url, base)
    const closed = new Promise<number>((resolve) => big.ws.once('close', resolve))
    big.ws.send('x'.repeat(2 * 1024 * 1024))
    expect(await closed).toBe(1009)
    other.ws.send(JSON.stringify({ id: 1, name: 'app.info' }))
    expect(await nextMessage(other.messages, 2)).toMatchObject({ id: 1, reply: { ok: true } })
    other.ws.close()
  })

  it('tells connected windows that Parley is stopping before it closes them', async () => {
    const { base } = await start()
    const { ws, messages } = await openSocket(`${base.replace('http', 'ws')}/ws?key=launch-key-123`, base)
    const closed = new Promise<number>((resolve) => ws.once('close', resolve))
    await host!.close()
    host = undefined
    expect(await closed).toBe(1001)
    expect(messages).toContainEqual({ event: { name: 'app.status', payload: { mode: 'sandbox', phase: 'stopping' } } })
  })
})
