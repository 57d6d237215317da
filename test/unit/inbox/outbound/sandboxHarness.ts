// The reply sender's world in tests: a real Meta sandbox over HTTP, a real page token taken through
// the sandbox's login dialog, and a real SQLite store on disk — with one clock for all three.
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../../../../src-main/core/app/logger.ts'
import { createGraphClient, createLoginState, parseLoginRedirect, type GraphClient } from '../../../../src-main/core/graph/index.ts'
import { DEFAULT_CONTENT_PROFILE } from '../../../../src-main/core/integrations/contentProfiles.ts'
import { createReplySender, type ReplyGraph, type ReplySenderDeps } from '../../../../src-main/core/inbox/outbound/index.ts'
import { openStore, STORE_FILE_NAME, type OutboxItem, type Store } from '../../../../src-main/core/store/index.ts'
import { parseDuration } from '../../../../src-main/sandbox/clock.ts'
import { startSandbox, type RunningSandbox } from '../../../../src-main/sandbox/index.ts'
import { MARIA, PAGES, SandboxPerson } from '../../../fixtures/sandboxDialog.ts'

const LOGIN_SUCCESS = 'https://www.facebook.com/connect/login_success.html'
const SCOPES = ['pages_show_list', 'pages_manage_metadata', 'pages_read_engagement', 'instagram_basic', 'instagram_manage_messages', 'business_management']
export const INTEGRATION = 'integration-nordlicht'

export interface SentRecord {
  path: string
  recipient: { id: string } | string | undefined
  messaging_type?: string
  tag?: string
  message?: { text?: string; attachment?: unknown } | string
  outcome: 'accepted' | 'refused'
  message_id?: string
  error?: { code: number; error_subcode?: number; message: string }
}

/** Which customers may write to @nordlicht.kaffee: each test takes its own so threads do not mix. */
export const CUSTOMERS = ['lea', 'tomas', 'aylin', 'jana', 'felix', 'sofia'] as const

export async function startHarness() {
  const sandbox: RunningSandbox = await startSandbox({ port: 0 })
  // The embedded sandbox's clock is Date.now() plus what the tests advanced: track the same offset.
  let offset = 0
  const now = () => Date.now() + offset
  const graphFor = (graphBase: string, options: { timeoutMs?: number } = {}): GraphClient =>
    createGraphClient({ graphBase, webBase: sandbox.url, appId: sandbox.appId, appSecret: async () => sandbox.appSecret, now, ...options })
  const graph = graphFor(sandbox.url)

  const loginState = createLoginState()
  const dialogUrl = graph.loginDialogUrl({ state: loginState, scopes: SCOPES, redirectUri: LOGIN_SUCCESS })
  const redirect = await new SandboxPerson(MARIA.email, MARIA.password).complete(dialogUrl, { pageIds: [PAGES.nordlicht] })
  const login = parseLoginRedirect(redirect, { expectedState: loginState, redirectUri: LOGIN_SUCCESS })
  if (login.type !== 'token') throw new Error(`the sandbox login ended with ${login.type}`)
  const userToken = (await graph.exchangeForLongLived(login.accessToken)).accessToken
  const page = (await graph.listPages(userToken)).find((p) => p.id === PAGES.nordlicht)
  if (!page?.accessToken || !page.instagram) throw new Error('no page token for Nordlicht')
  const pageToken = page.accessToken
  const igAccountId = page.instagram.id

  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} /__sandbox/${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }

  const storeDir = mkdtempSync(join(tmpdir(), 'parley-outbound-'))
  const openedStores: Store[] = []
  const openTestStore = (file = join(mkdtempSync(join(storeDir, 's-')), STORE_FILE_NAME)) => {
    const store = openStore(file, { now })
    openedStores.push(store)
    return store
  }

  return {
    sandbox,
    graph,
    graphFor,
    pageToken,
    igAccountId,
    now,
    control,
    openTestStore,

    /** Moves the sandbox clock and Parley's together ("23h59m", "7d1m"). */
    async advance(duration: string) {
      await control('POST', 'clock', { advance: duration })
      offset += parseDuration(duration)
    },

    /** A customer writes to @nordlicht.kaffee; ingest's part (conversation + message in the store) is done here. */
    async customerWrites(store: Store, customer: string, text = `Hello from ${customer}`) {
      const written = await control<{ mid: string; igsid: string; timestamp: number; conversationId: string }>('POST', 'inbound', { to: igAccountId, from: customer, text })
      const { conversation } = await store.conversations.upsertForInbound({
        integrationId: INTEGRATION, igAccountId, customerIgsid: written.igsid, queueId: 'queue-default', assignedAgentId: 'local', at: written.timestamp,
      })
      await store.messages.insertIfNew({ mid: written.mid, conversationId: conversation.id, direction: 'inbound', kind: 'text', text, createdAt: written.timestamp })
      return { conversation: (await store.conversations.get(conversation.id))!, igsid: written.igsid, graphConversationId: written.conversationId }
    },

    /** What Meta received for this customer, oldest first. */
    async sentTo(igsid: string): Promise<SentRecord[]> {
      const { data } = await control<{ data: SentRecord[] }>('GET', 'sent')
      return data.filter((r) => typeof r.recipient === 'object' && r.recipient?.id === igsid)
    },

    fault: (rule: Record<string, unknown>) => control('POST', 'faults', rule),
    clearFaults: () => control('DELETE', 'faults'),

    /** A sender on this store; `graph` can be swapped to make Graph unreachable and back. */
    sender(store: Store, overrides: Partial<ReplySenderDeps> & { graphRef?: { current: ReplyGraph | null } } = {}) {
      const changes: OutboxItem[] = []
      const logLines: string[] = []
      const log: Logger = {
        info: (message, fields) => logLines.push(`info ${message} ${JSON.stringify(fields ?? {})}`),
        warn: (message, fields) => logLines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
        error: (message, fields) => logLines.push(`error ${message} ${JSON.stringify(fields ?? {})}`),
      }
      const ref = overrides.graphRef ?? { current: graph }
      const sender = createReplySender({
        store,
        graph: () => ref.current,
        pageToken: async (integrationId) => (integrationId === INTEGRATION ? pageToken : null),
        profileFor: () => DEFAULT_CONTENT_PROFILE,
        now,
        log,
        onChange: (item) => changes.push(item),
        ...overrides,
      })
      return { sender, changes, logLines, graphRef: ref }
    },

    async close() {
      for (const store of openedStores) store.close()
      await sandbox.close()
    },
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>

/** An address where nothing listens: connecting is refused at once, as with the network down. */
export async function deadGraphBase(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

/** Waits for a condition the sandbox reaches on its own (a delayed request being processed). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`gave up waiting for ${what}`)
}
