// Live mode's public webhook, with the sandbox standing in for Meta: Parley's core connects an
// integration as usual; then a receiver in live mode (its Graph client pointed at the sandbox)
// registers its public address with the app, backfills, and receives by webhook — or says why not.
import { createServer } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createStderrLogger } from '../../../../src-main/core/app/logger.ts'
import type { InboxPage, SaveResult, WebhookView } from '../../../../src-main/core/contract/index.ts'
import { createGraphClient } from '../../../../src-main/core/graph/index.ts'
import { deriveVerifyToken } from '../../../../src-main/core/inbox/webhook/verifyToken.ts'
import { startReceiving, type Receiving } from '../../../../src-main/core/inbox/receiving.ts'
import { createIntegrationStore } from '../../../../src-main/core/integrations/integrationStore.ts'
import type { MetaRuntime } from '../../../../src-main/core/meta/metaRuntime.ts'
import { createParleySecrets } from '../../../../src-main/core/secrets/secretStore.ts'
import { createMemorySettingsFile } from '../../../../src-main/core/settings/settingsFile.ts'
import { startCoreOnSandbox, until } from '../../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../../fixtures/sandboxDialog.ts'

const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
let receiving: Receiving | null = null
const logLines: string[] = []

beforeEach(async () => {
  core = await startCoreOnSandbox()
  const login = await core.login({ pageIds: Object.values(PAGES) })
  const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
  if (!result.saved) throw new Error('not saved')
})
afterEach(async () => {
  await receiving?.close()
  receiving = null
  await core.close()
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Parley in live mode, with "graph.facebook.com" being the sandbox. */
async function startLive(webhook: { publicUrl: string | null; port: number }) {
  const { sandbox } = core
  const graph = createGraphClient({ graphBase: sandbox.url, webBase: sandbox.url, appId: sandbox.appId, appSecret: async () => sandbox.appSecret })
  const meta: MetaRuntime = {
    mode: () => 'live',
    backend: () => ({ kind: 'live', graphBase: sandbox.url, webBase: sandbox.url, appId: sandbox.appId, sandboxAppSecret: null, sandboxUrl: null, close: async () => {} }),
    graph: () => graph,
    now: () => Date.now(),
    syncClock: async () => {},
    onClockJump: () => () => {},
    switchTo: async () => {},
    close: async () => {},
  }
  const secrets = createParleySecrets(core.secretStore, 'test-installation')
  await secrets.metaAppSecret.set(sandbox.appSecret)
  const settingsFile = createMemorySettingsFile({ webhook })
  const log = createStderrLogger({ write: (line: string) => void logLines.push(line) } as never)
  receiving = await startReceiving({
    meta, store: core.store, integrations: await createIntegrationStore(core.store.integrations), secrets, events: core.parley.events, log, settingsFile,
    // Only the webhook or the start's backfill can bring a message in these tests.
    env: {}, pollIntervalMs: 3_600_000,
  })
  return receiving
}

const inboxTexts = async () => {
  const page = await core.call<InboxPage>('inbox.list', { limit: 50 })
  return page.items.map((item) => item.lastMessage?.preview)
}

/** The sandbox app's subscription goes away, as if Parley had been offline: nothing is delivered. */
async function forgetSubscription() {
  const response = await fetch(`${core.sandbox.url}/v25.0/${core.sandbox.appId}/subscriptions?access_token=${core.sandbox.appId}|${core.sandbox.appSecret}`, { method: 'DELETE' })
  expect(response.ok).toBe(true)
}

describe('live mode with a public webhook address', () => {
  it('registers the address with the app, backfills what came meanwhile, then receives by webhook', async () => {
    await forgetSubscription()
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'sent while Parley was away' })
    const port = await freePort()
    const live = await startLive({ publicUrl: `http://127.0.0.1:${port}`, port })

    const view: WebhookView = await live.webhook()
    expect(view).toEqual({
      publicUrl: `http://127.0.0.1:${port}`, port, host: '127.0.0.1', fromEnvironment: false,
      callbackUrl: `http://127.0.0.1:${port}/webhooks/instagram`, verifyToken: deriveVerifyToken(core.sandbox.appSecret, core.sandbox.appId),
      receiving: 'webhook', problem: null,
    })
    expect(live.publicOrigin()).toBe(`http://127.0.0.1:${port}`)
    // The backfill at start brought the message no webhook announced.
    expect(await until(inboxTexts, (t) => t.includes('sent while Parley was away'))).toContain('sent while Parley was away')

    await core.control('inbound', { to: NORDLICHT_IG, from: 'aylin', text: 'by webhook' })
    expect(await until(inboxTexts, (t) => t.includes('by webhook'))).toContain('by webhook')
  }, 30_000)

  it('the verify token stays the same across restarts and is derived from the App Secret, not stored', async () => {
    const port = await freePort()
    const first = (await (await startLive({ publicUrl: `http://127.0.0.1:${port}`, port })).webhook()).verifyToken
    await receiving!.close()
    const second = (await (await startLive({ publicUrl: `http://127.0.0.1:${port}`, port })).webhook()).verifyToken
    expect(first).toBe(second)
    expect(first).toMatch(/^[\w-]{32}$/)
    expect(deriveVerifyToken('another secret', core.sandbox.appId)).not.toBe(first)
  })

  it('says so plainly when Meta refuses the address, keeps running, and polls meanwhile', async () => {
    const [port, nothingThere] = [await freePort(), await freePort()]
    // The public address leads nowhere: Meta's verification request fails.
    const live = await startLive({ publicUrl: `http://127.0.0.1:${nothingThere}`, port })
    const view = await live.webhook()
    expect(view.receiving).toBe('polling')
    expect(view.problem).toMatchObject({ code: 'webhook.refused', params: { callbackUrl: `http://127.0.0.1:${nothingThere}/webhooks/instagram` } })
    expect(view.problem!.message).toContain('callback verification failed')
    expect(view.problem!.remedy).toContain(`forwards to 127.0.0.1:${port}`)
  })

  it('says so when the local port is taken, and polls', async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const { port } = busy.address() as { port: number }
    try {
      const live = await startLive({ publicUrl: 'https://parley.example.com', port })
      expect(await live.webhook()).toMatchObject({ receiving: 'polling', problem: { code: 'webhook.listen', params: { port: String(port), reason: 'EADDRINUSE' } } })
      expect(live.publicOrigin()).toBeNull()
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
  })

  it('without an address: polls, and Meta cannot reach Parley', async () => {
    const live = await startLive({ publicUrl: null, port: 47600 })
    expect(await live.webhook()).toMatchObject({ receiving: 'polling', problem: null, callbackUrl: null, verifyToken: null })
    expect(live.publicOrigin()).toBeNull()
  })
})
