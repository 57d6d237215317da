// I2: the delivery worker against a real receiver on a store on disk — retries with growing
// waits, gives up after its time, turns off a subscription that keeps failing and says so, and
// never logs the receiver's address.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { createStderrLogger } from '../../../src-main/core/app/logger.ts'
import { retryDelay, startDeliveryWorker } from '../../../src-main/core/api/deliveryWorker.ts'
import { verifySignature } from '../../../src-main/core/api/credentials.ts'
import { createMemorySecretStore, createParleySecrets } from '../../../src-main/core/secrets/secretStore.ts'
import type { Store } from '../../../src-main/core/store/index.ts'
import { IG_ACCOUNT, INTEGRATION, openTempStore } from '../store/helpers.ts'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A logger whose lines the test reads. */
function createMemoryLogger() {
  const lines: string[] = []
  return Object.assign(createStderrLogger(new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) })), { lines })
}

async function receiver(status: () => number) {
  const attempts: { at: number; signature: string; body: string }[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += String(chunk)))
    request.on('end', () => {
      attempts.push({ at: Date.now(), signature: String(request.headers['parley-signature']), body })
      response.writeHead(status()).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=receivers-own-secret`, attempts }
}

async function routedConversation(store: Store, customer: string) {
  await store.queues.ensureDefault(INTEGRATION, 'Nordlicht DMs', Date.now())
  const [outcome] = await store.conversations.upsertManyForInbound([{ integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: customer, queueId: `default:${INTEGRATION}`, assignedAgentId: null, at: Date.now() }])
  await store.routing.route(outcome!.conversation.id, `default:${INTEGRATION}`, Date.now(), 1000)
}

describe('the delivery worker (I2)', () => {
  it('waits longer after each failure, up to its cap, with a little jitter', () => {
    const settings = { firstRetryMs: 10_000, maxRetryMs: 3_600_000 }
    expect([1, 2, 3, 4].map((n) => retryDelay(n, settings, () => 0.5))).toEqual([10_000, 20_000, 40_000, 80_000])
    expect(retryDelay(30, settings, () => 0.5)).toBe(3_600_000)
    expect(retryDelay(1, settings, () => 0)).toBe(8_000)
    expect(retryDelay(1, settings, () => 0.999_999)).toBe(12_000)
  })

  it('delivers signed, retries a failing receiver with growing waits, and turns its subscription off after failures in a row', async () => {
    const store = openTempStore()
    cleanups.push(() => store.close())
    const secrets = createParleySecrets(createMemorySecretStore(), 'server')
    let answer = 204
    const crm = await receiver(() => answer)
    await secrets.subscriptionSecret('crm').set('whsec_test-secret')
    await store.subscriptions.create({ id: 'crm', url: crm.url, types: ['conversation.routed'], createdBy: null, createdAt: Date.now() })
    const log = createMemoryLogger()
    const disabled: string[] = []
    const worker = startDeliveryWorker({
      store, secrets, now: Date.now, log, userAgent: 'Parley/test', onDisabled: (id) => disabled.push(id), random: () => 0.5,
      settings: { pollMs: 20, firstRetryMs: 100, maxRetryMs: 400, disableAfter: 4, giveUpAfterMs: 60_000 },
    })
    cleanups.push(() => worker.stop())

    await routedConversation(store, 'lea')
    await expect.poll(() => crm.attempts.length, { timeout: 5_000 }).toBe(1)
    const [first] = crm.attempts
    expect(verifySignature('whsec_test-secret', first!.body, first!.signature, Date.now())).toBe(true)
    await expect.poll(async () => (await store.subscriptions.deliveries('crm', 1))[0]?.state).toBe('delivered')

    // Now the receiver fails: 100, 200, 400 ms between attempts, then the subscription is off.
    answer = 503
    await routedConversation(store, 'tomas')
    await expect.poll(() => disabled, { timeout: 10_000 }).toEqual(['crm'])
    const failing = crm.attempts.slice(1)
    expect(failing).toHaveLength(4)
    const gaps = failing.slice(1).map((a, n) => a.at - failing[n]!.at)
    expect(gaps[0]).toBeGreaterThanOrEqual(100)
    expect(gaps[1]).toBeGreaterThanOrEqual(200)
    expect(gaps[2]).toBeGreaterThanOrEqual(400)
    expect(await store.subscriptions.get('crm')).toMatchObject({ enabled: false, disabledReason: 'failures', consecutiveFailures: 4, pending: 1 })
    const [latest] = await store.subscriptions.deliveries('crm', 1)
    expect(latest).toMatchObject({ state: 'pending', attempts: 4, lastStatus: 503, lastError: 'The receiver answered 503.' })
    // Off means off: nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(crm.attempts).toHaveLength(5)
    expect(log.lines.join('\n')).not.toContain('receivers-own-secret')
    expect(log.lines.some((line) => line.includes('event subscription turned off after repeated failures'))).toBe(true)
  }, 20_000)

  it('gives a delivery up once its time is over', async () => {
    const store = openTempStore()
    cleanups.push(() => store.close())
    const secrets = createParleySecrets(createMemorySecretStore(), 'server')
    const crm = await receiver(() => 500)
    await secrets.subscriptionSecret('crm').set('whsec_test-secret')
    await store.subscriptions.create({ id: 'crm', url: crm.url, types: ['conversation.routed'], createdBy: null, createdAt: Date.now() })
    const worker = startDeliveryWorker({
      store, secrets, now: Date.now, log: createMemoryLogger(), userAgent: 'Parley/test', onDisabled: () => {}, random: () => 0.5,
      settings: { pollMs: 20, firstRetryMs: 50, maxRetryMs: 50, disableAfter: 100, giveUpAfterMs: 300 },
    })
    cleanups.push(() => worker.stop())
    await routedConversation(store, 'lea')
    await expect.poll(async () => (await store.subscriptions.deliveries('crm', 1))[0]?.state, { timeout: 5_000 }).toBe('failed')
    expect(crm.attempts.length).toBeGreaterThanOrEqual(3)
    expect(crm.attempts.length).toBeLessThanOrEqual(8)
  }, 20_000)
})
