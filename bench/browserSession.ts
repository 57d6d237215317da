// What the browser measurements share: the browser host in its own process (as the e2e fixtures
// start it), and Debian's Chromium through Playwright.
import { spawn } from 'node:child_process'
import { createInterface, type Interface } from 'node:readline'
import { chromium, type Browser } from '@playwright/test'
import type { RunningSandbox } from '../src-main/sandbox/index.ts'
import { chromiumPath } from '../playwright.config.ts'

export const NORDLICHT = '17841401234567801'
const ROOT = new URL('..', import.meta.url)

export interface BenchHost {
  url: string
  pid: number
  memory(): Promise<NodeJS.MemoryUsage>
  stop(): Promise<void>
}

/** `bench/hostProcess.ts` on `dataDir` against the sandbox; secrets in memory (the bench never touches the OS keychain). */
export async function startHost(sandbox: RunningSandbox, dataDir: string): Promise<BenchHost> {
  const child = spawn(process.execPath, ['bench/hostProcess.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, PARLEY_DATA_DIR: dataDir, PARLEY_SECRET_STORE: 'memory',
      PARLEY_SANDBOX_URL: sandbox.url, PARLEY_SANDBOX_APP_ID: sandbox.appId, PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // Its log is kept for when something fails, not printed over the results.
  const log: string[] = []
  createInterface({ input: child.stderr! }).on('line', (line) => void (log.push(line), log.length > 40 && log.shift()))
  const lines: Interface = createInterface({ input: child.stdout! })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const failed = () => new Error(`the browser host exited with code ${child.exitCode}:\n${log.join('\n')}`)
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', () => reject(failed()))
  })
  const match = /^Parley is running at (http:\/\/127\.0\.0\.1:\d+\/\?key=\S+)$/.exec(first)
  if (!match) throw new Error(`unexpected first line from the browser host: ${first}`)
  return {
    url: match[1]!,
    pid: child.pid!,
    memory: () =>
      new Promise((resolve, reject) => {
        lines.once('line', (line) => {
          try {
            resolve((JSON.parse(line) as { memory: NodeJS.MemoryUsage }).memory)
          } catch (error) {
            reject(error)
          }
        })
        child.stdin!.write('memory\n')
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // As in playwright.config.ts: no reaching for Google's services on a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A customer writes through the sandbox's control API, as Meta's side of a DM. */
export async function customerWrites(sandbox: RunningSandbox, from: string, text: string): Promise<{ mid: string; webhook: boolean }> {
  const response = await fetch(`${sandbox.url}/__sandbox/inbound`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: NORDLICHT, from, text }),
  })
  if (!response.ok) throw new Error(`the sandbox refused the message: ${response.status} ${await response.text()}`)
  return (await response.json()) as { mid: string; webhook: boolean }
}
