// The receiving side's world in tests: a real Meta sandbox over HTTP on a frozen clock that the
// tests (and the poller's injected sleep) move forward, a real page token taken through the
// sandbox's login dialog, real SQLite files in a temp dir, and the real webhook server.
import { redactingLogger } from '../../../../src-main/core/diagnostics/eventLog.ts'
import { LOCAL_AGENT } from '../../../../src-main/core/contract/people.ts'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../../../../src-main/core/app/logger.ts'
import { createGraphClient, createLoginState, parseLoginRedirect, type GraphClient } from '../../../../src-main/core/graph/index.ts'
import {
  createIngest, createPoller, createWebhookReceiver, INSTAGRAM_WEBHOOK_FIELDS, registerAppWebhook, startWebhookServer,
  type InboxChange, type IntegrationDirectory, type IntegrationTarget, type PollerDeps, type WebhookPayload,
} from '../../../../src-main/core/inbox/inbound/index.ts'
import { openStore, STORE_FILE_NAME, type Store } from '../../../../src-main/core/store/index.ts'
import { startSandbox, type RunningSandbox } from '../../../../src-main/sandbox/index.ts'
import { MARIA, PAGES, SandboxPerson } from '../../../fixtures/sandboxDialog.ts'

const LOGIN_SUCCESS = 'https://www.facebook.com/connect/login_success.html'
const SCOPES = ['pages_show_list', 'pages_manage_metadata', 'pages_read_engagement', 'instagram_basic', 'instagram_manage_messages', 'business_management']
export const INTEGRATION = 'integration-nordlicht'
export const NORDLICHT_IG = '17841401234567801'
export const HAFENBLICK_IG = '17841401234567802'

export interface Delivery {
  id: number
  body: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: { status?: number; error?: string }[]
}

export function memoryLog() {
  const lines: string[] = []
  const entry = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`)
  // As the hosts log: redacted, without recorded payloads (those are the event log's).
  const log: Logger = redactingLogger({ info: entry('info'), warn: entry('warn'), error: entry('error') })
  return { log, lines }
}

/** Every byte of the store's files (database, WAL, SHM): what is on disk, not what queries show. */
export function storeBytes(store: Store): string {
  const dir = join(store.filePath, '..')
  return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n')
}

export async function startHarness(options: { retry?: { baseMs: number; maxAttempts: number } } = {}) {
  const sandbox: RunningSandbox = await startSandbox({ port: 0, webhookRetry: options.retry ?? { baseMs: 10, maxAttempts: 4 } })
  async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} /__sandbox/${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }

  // Virtual time: the sandbox clock is frozen and moves only when told to; ours moves with it.
  await control('POST', 'clock', { freeze: true })
  let virtual = Date.now()
  const now = () => virtual
  /** Moves both clocks by whole seconds (the sandbox's smallest step). */
  async function advance(ms: number) {
    const seconds = Math.max(1, Math.ceil(ms / 1000))
    await control('POST', 'clock', { advance: `${seconds}s` })
    virtual += seconds * 1000
  }

  // Every Graph request, with the virtual time it was made at and Meta's answer code.
  const calls: { at: number; path: string; status: number; code: number | null }[] = []
  const recordingFetch: typeof fetch = async (input, init) => {
    const at = now()
    const response = await fetch(input, init)
    const url = new URL(String(input instanceof Request ? input.url : input))
    const code = response.status >= 400 ? ((await response.clone().json().catch(() => null)) as { error?: { code?: number } } | null)?.error?.code ?? null : null
    calls.push({ at, path: url.pathname.replace(/^\/v\d+\.\d+/, ''), status: response.status, code })
    return response
  }
  const graphSleeps: number[] = []
  const graph: GraphClient = createGraphClient({
    graphBase: sandbox.url, webBase: sandbox.url, appId: sandbox.appId, appSecret: async () => sandbox.appSecret, now,
    fetch: recordingFetch,
    // The client's own retries stay out of the way: the poller's backoff is what is tested.
    retry: { maxAttempts: 1 },
    sleep: async (ms) => void graphSleeps.push(ms),
  })

  const loginState = createLoginState()
  const dialogUrl = graph.loginDialogUrl({ state: loginState, scopes: SCOPES, redirectUri: LOGIN_SUCCESS })
  const redirect = await new SandboxPerson(MARIA.email, MARIA.password).complete(dialogUrl, { pageIds: [PAGES.nordlicht, PAGES.hafenblick] })
  const login = parseLoginRedirect(redirect, { expectedState: loginState, redirectUri: LOGIN_SUCCESS })
  if (login.type !== 'token') throw new Error(`the sandbox login ended with ${login.type}`)
  const userToken = (await graph.exchangeForLongLived(login.accessToken)).accessToken
  const pages = await graph.listPages(userToken)
  const pageTokens = Object.fromEntries(pages.map((p) => [p.id, p.accessToken ?? '']))
  const page = pages.find((p) => p.id === PAGES.nordlicht)
  if (!page?.accessToken || page.instagram?.id !== NORDLICHT_IG) throw new Error('no page token for Nordlicht')
  const pageToken = page.accessToken
  // S7's page-level subscription; the app-level one is what each test registers.
  await graph.subscribeApp(PAGES.nordlicht, pageToken, [...INSTAGRAM_WEBHOOK_FIELDS])

  const target: IntegrationTarget = { integrationId: INTEGRATION, pageId: PAGES.nordlicht, storyMentions: true, storyReplies: true }
  const directory: IntegrationDirectory = {
    byInstagramAccount: (igId) => (igId === NORDLICHT_IG ? target : null),
    pageToken: async (integrationId) => (integrationId === INTEGRATION ? pageToken : null),
  }

  const storeDir = mkdtempSync(join(tmpdir(), 'parley-inbound-'))
  const stores: Store[] = []
  const servers: { close(): Promise<void> }[] = []
  const pollers: { stop(): Promise<void> }[] = []

  /** A store, ingest and webhook server: what Parley runs on a workstation. Not yet subscribed. */
  async function startParley(setup: { onPayload?: (payload: WebhookPayload, ingest: (p: WebhookPayload) => Promise<unknown>) => Promise<unknown> } = {}) {
    const store = openStore(join(mkdtempSync(join(storeDir, 's-')), STORE_FILE_NAME), { now })
    stores.push(store)
    const { log, lines } = memoryLog()
    const changes: InboxChange[] = []
    const ingest = createIngest({ store, directory, graph: () => graph, log, now, onChange: (c) => changes.push(c), assignee: LOCAL_AGENT })
    const verifyToken = randomBytes(16).toString('hex')
    let gate: Promise<void> = Promise.resolve()
    const receiver = createWebhookReceiver({
      appSecret: async () => sandbox.appSecret, verifyToken, log,
      onPayload: async (payload) => {
        await gate
        return setup.onPayload ? setup.onPayload(payload, (p) => ingest.webhook(p)) : ingest.webhook(payload)
      },
    })
    const server = await startWebhookServer({ receiver })
    servers.push(server)
    const pollerSleeps: number[] = []
    const poller = (overrides: Partial<PollerDeps> = {}) => {
      const created = createPoller({
        store, graph: () => graph, directory, accounts: () => [NORDLICHT_IG], ingest, log, now,
        sleep: async (ms) => {
          pollerSleeps.push(ms)
          await advance(ms)
        },
        ...overrides,
      })
      pollers.push(created)
      return created
    }
    return {
      store, ingest, receiver, server, verifyToken, changes, logLines: lines, pollerSleeps, poller,
      /** Holds webhook deliveries at the receiver (the sandbox waits for its answer) until released. */
      hold(): () => void {
        let release!: () => void
        gate = new Promise<void>((resolve) => (release = resolve))
        return () => release()
      },
      /** Registers this workstation's receiver as the app's webhook callback (the sandbox verifies it). */
      subscribe: () => registerAppWebhook(graph, { callbackUrl: server.url, verifyToken }),
      /** Waits until the sandbox has finished every delivery, then until ingest is idle. */
      async settle() {
        await eventually(async () => ((await deliveries()).every((d) => d.state !== 'pending') ? true : undefined), 'webhook deliveries')
        await ingest.idle()
      },
    }
  }

  async function deliveries(): Promise<Delivery[]> {
    return (await control<{ data: Delivery[] }>('GET', 'webhooks')).data
  }

  return {
    sandbox, graph, pageToken, pageTokens, directory, target, control, now, advance, calls, graphSleeps, deliveries, startParley,
    /** A customer writes to @nordlicht.kaffee through the sandbox (as on Instagram). */
    inbound: (body: Record<string, unknown>) =>
      control<{ mid: string; igsid: string; timestamp: number; conversationId: string; delivered: boolean }>('POST', 'inbound', { to: NORDLICHT_IG, ...body }),
    async close() {
      for (const poller of pollers) await poller.stop()
      for (const server of servers) await server.close()
      for (const store of stores) store.close()
      await sandbox.close()
    },
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>
export type Workstation = Awaited<ReturnType<Harness['startParley']>>

/** Waits for something the sandbox does on its own (webhook delivery runs after its answer). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`gave up waiting for ${what}`)
}

