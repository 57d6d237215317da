// Receiving follows the Meta app's mode while Parley runs (Admin → Meta app): live → polling (no
// public address here), back to the sandbox → the webhook is registered with the sandbox again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxPage, SaveResult, WebhookView } from '../../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox, until } from '../../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../../fixtures/sandboxDialog.ts'

const NORDLICHT_IG = '17841401234567801'
const APP = { appId: '987654321012345', appSecret: '0123456789abcdef0123456789abcdef' }
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
  const login = await core.login({ pageIds: Object.values(PAGES) })
  const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
  if (!result.saved) throw new Error('not saved')
})
afterEach(() => core.close())

const previews = async () => (await core.call<InboxPage>('inbox.list', { limit: 50 })).items.map((i) => i.lastMessage?.preview)
const subscription = async () =>
  ((await (await fetch(`${core.sandbox.url}/v25.0/${core.sandbox.appId}/subscriptions?access_token=${core.sandbox.appId}|${core.sandbox.appSecret}`)).json()) as {
    data: { callback_url: string }[]
  }).data[0]?.callback_url

describe('receiving across mode switches', () => {
  it('sandbox → live polls; live → sandbox registers the webhook again and messages arrive', async () => {
    expect(await core.call<WebhookView>('metaApp.webhook')).toMatchObject({ receiving: 'sandbox', problem: null, verifyToken: null })
    const before = await subscription()
    expect(before).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/instagram$/)

    await core.call('metaApp.set', APP)
    // No public address: the poller (graph.facebook.com is out of reach here, which costs nothing but log lines).
    expect(await core.call<WebhookView>('metaApp.webhook')).toMatchObject({ receiving: 'polling', problem: null, callbackUrl: null, verifyToken: null })

    await core.call('metaApp.clear')
    expect(await core.call<WebhookView>('metaApp.webhook')).toMatchObject({ receiving: 'sandbox', problem: null })
    const after = await subscription()
    // A new receiver (the old one was closed with the sandbox session), registered with the sandbox's app.
    expect(after).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/instagram$/)
    expect(after).not.toBe(before)
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'after the round trip' })
    expect(await until(previews, (p) => p.includes('after the round trip'))).toContain('after the round trip')
  }, 60_000)

  it('keeps the public address for live mode; shows Meta’s callback URL and a verify token once live', async () => {
    const saved = await core.call<WebhookView>('metaApp.setWebhook', { publicUrl: 'https://parley.example.com/webhooks/instagram', port: 48123 })
    // Saved in sandbox mode: nothing to register yet.
    expect(saved).toMatchObject({ publicUrl: 'https://parley.example.com', port: 48123, receiving: 'sandbox', verifyToken: null })
    expect(core.settingsFile.get('webhook')).toEqual({ publicUrl: 'https://parley.example.com', port: 48123 })
    expect(JSON.stringify(core.settingsFile.get('webhook'))).not.toContain(APP.appSecret)

    await core.call('metaApp.set', APP)
    const live = await core.call<WebhookView>('metaApp.webhook')
    expect(live).toMatchObject({ callbackUrl: 'https://parley.example.com/webhooks/instagram', host: '127.0.0.1', port: 48123, fromEnvironment: false })
    expect(live.verifyToken).toMatch(/^[\w-]{32}$/)
    // Meta is out of reach from here: said so, and Parley polls meanwhile.
    expect(live).toMatchObject({ receiving: 'polling', problem: { code: 'webhook.unreachable' } })

    await core.call('metaApp.setWebhook', { publicUrl: '', port: 48123 })
    expect(await core.call<WebhookView>('metaApp.webhook')).toMatchObject({ publicUrl: null, callbackUrl: null, receiving: 'polling', problem: null })
  }, 60_000)

  it('refuses addresses Meta would not call and ports outside 1024–65535, with the reason', async () => {
    const refused = async (input: unknown) => {
      const reply = await core.parley.dispatcher.invoke('metaApp.setWebhook', input)
      if (reply.ok) throw new Error('accepted')
      return reply.error
    }
    expect(await refused({ publicUrl: 'http://parley.example.com', port: 48123 })).toMatchObject({
      code: 'invalid_input', issues: [{ path: 'publicUrl', message: expect.stringContaining('https://') }],
    })
    expect((await refused({ publicUrl: 'parley.example.com', port: 48123 })).issues).toEqual([{ path: 'publicUrl', message: 'Enter an address such as https://parley.example.com.' }])
    expect((await refused({ publicUrl: 'https://example.com/parley', port: 48123 })).issues![0]!.message).toContain('without a path')
    expect((await refused({ publicUrl: 'https://parley.example.com', port: 80 })).issues).toEqual([{ path: 'port', message: 'Use a port from 1024 to 65535.' }])
    expect((await refused({ publicUrl: 'https://parley.example.com', port: 70000 })).issues![0]!.path).toBe('port')
    // Plain http only for this machine.
    expect(await core.call<WebhookView>('metaApp.setWebhook', { publicUrl: 'http://localhost:8080', port: 48123 })).toMatchObject({ publicUrl: 'http://localhost:8080' })
    expect(core.settingsFile.get('webhook')).toEqual({ publicUrl: 'http://localhost:8080', port: 48123 })
  })
})
