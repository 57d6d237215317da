// T1: each check names the cause and the fix when something is broken through the sandbox's control
// API — the real sandbox over HTTP, the real core, the real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CheckResult, DiagnosticsReport } from '../../../src-main/core/diagnostics/checks.ts'
import type { Integration } from '../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../fixtures/sandboxDialog.ts'

const MARIA_ID = '100090000000101'
const NORDLICHT_IG = '17841401234567801'

let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
let integration: Integration
beforeEach(async () => {
  core = await startCoreOnSandbox({ eventLog: true })
  integration = await core.connectNordlicht()
})
afterEach(async () => {
  await core.close()
})

const check = (report: DiagnosticsReport, id: string): CheckResult => {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`)
  return found
}
const run = () => core.parley.diagnostics.run()

describe('Diagnostics checks against the sandbox', () => {
  it('finds everything OK on a healthy integration, after a webhook delivery', async () => {
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Hallo, habt ihr Hafermilch?' })
    await until(async () => core.parley.diagnostics.log({}), (entries) => entries.some((e) => e.message === 'webhook received'))
    const report = await run()
    for (const id of ['meta_reachable', 'clock_skew', 'rate_limit', 'store_integrity', 'store_size', 'outbox_stuck', 'token', 'scopes', 'page', 'app_subscribed', 'webhook']) {
      expect(check(report, id), id).toMatchObject({ verdict: 'ok', ran: true })
    }
    expect(check(report, 'token')).toMatchObject({ integrationId: integration.id, title: 'Token — Nordlicht DMs', cause: expect.stringContaining('valid') })
    expect(check(report, 'webhook').cause).toMatch(/^Last delivery/)
  })

  it('an unpublished page is a Problem naming publishing as the fix', async () => {
    await core.control('page', { pageId: PAGES.nordlicht, published: false })
    const page = check(await run(), 'page')
    expect(page).toMatchObject({ verdict: 'problem', cause: expect.stringContaining('not published'), fix: expect.stringContaining('Publish the Page') })
  })

  it('an unlinked Instagram account and an unconfirmed switch are told apart', async () => {
    await core.control('page', { pageId: PAGES.nordlicht, igSwitchConfirmed: false })
    expect(check(await run(), 'page')).toMatchObject({ verdict: 'problem', fix: expect.stringContaining('Confirm the switch') })
    await core.control('page', { pageId: PAGES.nordlicht, igSwitchConfirmed: true, igLinked: false })
    expect(check(await run(), 'page')).toMatchObject({ verdict: 'problem', fix: expect.stringContaining('Link the Instagram account') })
  })

  it('a revoked permission is named, with recreating the integration as the fix', async () => {
    const appToken = `${core.sandbox.appId}|${core.sandbox.appSecret}`
    const revoked = await fetch(`${core.sandbox.url}/v25.0/${MARIA_ID}/permissions/instagram_manage_messages?access_token=${encodeURIComponent(appToken)}`, { method: 'DELETE' })
    expect(revoked.status).toBe(200)
    const scopes = check(await run(), 'scopes')
    expect(scopes).toMatchObject({ verdict: 'problem', cause: expect.stringContaining('instagram_manage_messages'), fix: expect.stringContaining('Recreate the integration') })
  })

  it('a changed password makes the token a Problem in Meta’s words', async () => {
    await core.control('password', { userId: MARIA_ID, password: 'new-password-1' })
    const report = await run()
    expect(check(report, 'token')).toMatchObject({ verdict: 'problem', fix: expect.stringMatching(/log in again|Recreate/i) })
    expect(check(report, 'token').cause).toMatch(/password/i)
    // Checks that need a valid token say why they did not run, instead of failing.
    expect(check(report, 'page')).toMatchObject({ ran: false, verdict: 'warning', cause: expect.stringContaining('token is not valid') })
  })

  it('stopped webhook deliveries leave the webhook check without a delivery', async () => {
    await fetch(`${core.sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'webhooks', path: '/**', drop: true }) })
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Ist jemand da?' })
    const webhook = check(await run(), 'webhook')
    expect(webhook).toMatchObject({ verdict: 'warning', cause: expect.stringContaining('No webhook delivery'), fix: expect.stringContaining('webhook address') })
  })

  it('a moved Meta clock shows as clock skew', async () => {
    await core.control('clock', { advance: '2h' })
    const skew = check(await run(), 'clock_skew')
    expect(skew).toMatchObject({ verdict: 'problem', cause: expect.stringContaining('behind Meta'), fix: expect.stringContaining('NTP') })
  })

  it('a filled rate limit shows the usage Meta reports', async () => {
    await core.control('limits', { appCallsPerHour: 4 })
    const limit = check(await run(), 'rate_limit')
    expect(limit.verdict).not.toBe('ok')
    expect(limit.cause).toMatch(/% of a rate limit used/)
  })

  it('Graph off the network: Meta reachable is a Problem, the Meta checks say why they did not run, the store checks still run', async () => {
    await fetch(`${core.sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/**', drop: true }) })
    const report = await run()
    expect(check(report, 'meta_reachable')).toMatchObject({ verdict: 'problem', fix: expect.stringContaining('network') })
    expect(check(report, 'clock_skew')).toMatchObject({ ran: false, cause: expect.stringContaining('cannot be reached') })
    expect(check(report, 'token')).toMatchObject({ ran: false, cause: expect.stringContaining('could not be reached') })
    expect(check(report, 'store_integrity')).toMatchObject({ verdict: 'ok', ran: true })
  })

  it('never sends a message and never changes the store', async () => {
    const sentBefore = ((await (await fetch(`${core.sandbox.url}/__sandbox/sent`)).json()) as { data: unknown[] }).data.length
    const statsBefore = await core.store.stats()
    await run()
    const sentAfter = ((await (await fetch(`${core.sandbox.url}/__sandbox/sent`)).json()) as { data: unknown[] }).data.length
    expect(sentAfter).toBe(sentBefore)
    expect((await core.store.stats()).rows).toEqual(statsBefore.rows)
  })
})
