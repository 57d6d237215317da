// `npm run sandbox` (node src-main/sandbox/cli.ts): prints its address and credentials, stops on SIGTERM.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../../src-main/sandbox/cli.ts', import.meta.url))

function run(args: string[]): Promise<{ lines: string[]; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const lines = output.split('\n').filter((line) => line !== '')
      if (lines.length >= 3) {
        resolve({
          lines,
          stop: () => new Promise((done) => {
            child.once('exit', (code) => done(code))
            child.kill('SIGTERM')
          }),
        })
      }
    })
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)))
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('sandbox CLI', () => {
  it('prints exactly the three lines, serves, and stops cleanly on SIGTERM', async () => {
    const { lines, stop } = await run([])
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^PARLEY_SANDBOX_URL=http:\/\/127\.0\.0\.1:\d+$/)
    expect(lines[1]).toMatch(/^PARLEY_SANDBOX_APP_ID=\d+$/)
    expect(lines[2]).toMatch(/^PARLEY_SANDBOX_APP_SECRET=[0-9a-f]{32}$/)
    const url = lines[0]?.split('=')[1] ?? ''
    const state = await (await fetch(`${url}/__sandbox/state`)).json() as { app: { id: string } }
    expect(`PARLEY_SANDBOX_APP_ID=${state.app.id}`).toBe(lines[1])
    expect(await stop()).toBe(0)
    await expect(fetch(`${url}/__sandbox/state`)).rejects.toThrow()
  })

  it('listens on the port given with --port', async () => {
    const port = await freePort()
    const { lines, stop } = await run(['--port', String(port)])
    expect(lines[0]).toBe(`PARLEY_SANDBOX_URL=http://127.0.0.1:${port}`)
    expect(await stop()).toBe(0)
  })
})
