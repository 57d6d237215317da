// Measurements 2–4 in one sandbox and one data directory: connect an integration through the UI,
// measure live latency, then give the same data directory a large inbox, restart the browser host
// on it and measure first paint (beside the browser's floor for the same rows), rows in the DOM and
// the main process's memory.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { openStore, STORE_FILE_NAME } from '../src-main/core/store/index.ts'
import { startSandbox, type RunningSandbox } from '../src-main/sandbox/index.ts'
import { connectNordlicht } from '../test/e2e/steps.ts'
import { launchChromium, NORDLICHT, startHost, type BenchHost } from './browserSession.ts'
import { fillInbox } from './fillStore.ts'
import { serveStaticInbox, type StaticInbox } from './floor.ts'
import { measureFirstPaint, type FirstPaintResult } from './firstPaint.ts'
import { measureLatency, type LatencyResult } from './latency.ts'
import { measureMemory, type MemoryResult } from './memory.ts'

export interface BrowserOptions {
  probes: number
  conversations: number
  messages: number
  loads: number
  threads: number
}

export interface BrowserResults {
  latency: LatencyResult
  firstPaint: FirstPaintResult
  memory: MemoryResult
}

async function integrationOfFirstConversation(dataDir: string): Promise<string> {
  const store = openStore(join(dataDir, STORE_FILE_NAME))
  try {
    const [first] = await store.conversations.list({ limit: 1 })
    if (!first) throw new Error('the latency run left no conversation behind')
    return first.integrationId
  } finally {
    store.close()
  }
}

export async function measureInBrowser(options: BrowserOptions, progress: (line: string) => void = () => {}): Promise<BrowserResults> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-browser-'))
  let sandbox: RunningSandbox | null = null
  let browser: Browser | null = null
  let host: BenchHost | null = null
  let floor: StaticInbox | null = null
  try {
    sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
    browser = await launchChromium()
    host = await startHost(sandbox, dataDir)
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await connectNordlicht(page, host.url)
    progress(`latency: ${options.probes} messages, one at a time`)
    const latency = await measureLatency(page, sandbox, host.url, options.probes)
    await page.close()
    await host.stop()
    host = null

    progress(`filling the inbox: ${options.conversations} conversations, ${options.messages} messages`)
    const integrationId = await integrationOfFirstConversation(dataDir)
    await fillInbox(dataDir, { integrationId, igAccountId: NORDLICHT }, { conversations: options.conversations, messages: options.messages })
    host = await startHost(sandbox, dataDir)
    floor = await serveStaticInbox(browser, host.url, new URL('../out/renderer/', import.meta.url))
    progress(`first paint: ${options.loads} page loads, each beside one of the same rows as a static page`)
    const firstPaint = await measureFirstPaint(browser, { parley: host.url, floor: floor.url }, options.loads)
    if (firstPaint.listed < options.conversations) throw new Error(`the inbox listed ${firstPaint.listed} conversations, not the ${options.conversations} filled in`)
    progress(`memory: after opening ${options.threads} threads`)
    const memory = await measureMemory(browser, host, options.threads)
    return { latency, firstPaint, memory }
  } finally {
    await floor?.close().catch(() => undefined)
    await host?.stop().catch(() => undefined)
    await browser?.close().catch(() => undefined)
    await sandbox?.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }
}
