import { spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBrowserHostProcess, type RunningBrowserHost } from '../../fixtures/browserHost.ts'

const root = new URL('../../../', import.meta.url)
let running: RunningBrowserHost | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['src-main/server/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-cli-')), ...env },
    encoding: 'utf8',
    timeout: 20_000,
  })
}

describe('npm run start:browser', () => {
  it('prints exactly one line, the address, and keeps settings in PARLEY_DATA_DIR', async () => {
    running = await startBrowserHostProcess()
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]{32}$/)
    const socketUrl = running.url.replace('http://', 'ws://').replace('/?key=', '/ws?key=')
    const { WebSocket } = await import('ws')
    const ws = new WebSocket(socketUrl, { origin: new URL(running.url).origin })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const reply = new Promise((resolve) => ws.on('message', (d) => JSON.parse(String(d)).id === 1 && resolve(JSON.parse(String(d)))))
    ws.send(JSON.stringify({ id: 1, name: 'settings.set', input: { language: 'de' } }))
    expect(await reply).toMatchObject({ reply: { ok: true } })
    ws.close()
    expect(JSON.parse(readFileSync(join(running.dataDir, 'config.json'), 'utf8'))).toMatchObject({ preferences: { language: 'de' } })

    let extra = ''
    running.process.stdout!.on('data', (chunk) => (extra += chunk))
    await running.stop()
    expect(extra).toBe('')
  })

  it('uses the port it is given', async () => {
    const port = await freePort()
    running = await startBrowserHostProcess({}, ['--port', String(port)])
    expect(new URL(running.url).port).toBe(String(port))
  })

  it('refuses a port that is not a number, saying what it takes', () => {
    const result = runCli(['--port', 'eighty'])
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535')
  })

  it('says why it cannot start when the sandbox it is pointed at is incomplete', () => {
    const result = runCli([], { PARLEY_SANDBOX_URL: 'http://127.0.0.1:9' })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Parley could not start: PARLEY_SANDBOX_URL needs PARLEY_SANDBOX_APP_ID')
  })

  it('says so plainly when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => blocker.once('listening', resolve))
    const port = (blocker.address() as { port: number }).port
    const result = runCli(['--port', String(port)])
    blocker.close()
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`Port ${port} is already in use`)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
