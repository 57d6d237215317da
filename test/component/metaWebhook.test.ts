import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import type { WebhookView } from '../../src-main/core/contract/index.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, field } from './queries.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const PLATFORMS = '/admin/message/platforms'
const LIVE = { mode: 'live' as const, appId: '1234567890', secretStored: true, secretStore: 'keychain' as const }
const polling: WebhookView = {
  publicUrl: null, port: 47600, host: '127.0.0.1', fromEnvironment: false, callbackUrl: null, verifyToken: null, receiving: 'polling', problem: null,
}
const webhookPart = (wrapper: Awaited<ReturnType<typeof mountWithParley>>['wrapper']) => wrapper.find('section.meta-app .meta-webhook')

describe('the Meta app’s webhook (live mode)', () => {
  it('is not shown while the sandbox’s app is used', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PLATFORMS })
    expect(webhookPart(wrapper).exists()).toBe(false)
    expect(parley.inputsOf('metaApp.webhook')).toHaveLength(0)
  })

  it('saves the address and port, then shows what to paste into Meta with Copy buttons, and the state', async () => {
    let view = polling
    const { wrapper, parley } = await mountWithParley(App, {
      path: PLATFORMS,
      script: {
        'metaApp.get': () => LIVE,
        'metaApp.webhook': () => view,
        'metaApp.setWebhook': ({ publicUrl, port }) => (view = {
          ...view, publicUrl, port, callbackUrl: `${publicUrl}/webhooks/instagram`, verifyToken: 'Vt-0123456789abcdefghijklmnopqrstu', receiving: 'webhook',
        }),
      },
    })
    const part = webhookPart(wrapper)
    expect(part.find('h4').text()).toBe('Webhook')
    expect(part.find('[data-receiving]').text()).toBe('Receiving by polling every 30 s')
    expect(field(part, 'Local port').element.value).toBe('47600')
    await field(part, 'Public webhook address').setValue('https://parley.example.com')
    await field(part, 'Local port').setValue('48123')
    await part.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('metaApp.setWebhook').at(-1)).toEqual({ publicUrl: 'https://parley.example.com', port: 48123 })
    expect(part.find('[data-receiving]').text()).toBe('Receiving by webhook')
    expect(part.find('[data-callback-url]').text()).toBe('https://parley.example.com/webhooks/instagram')
    expect(part.find('[data-verify-token]').text()).toBe('Vt-0123456789abcdefghijklmnopqrstu')

    const copied: string[] = []
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text: string) => void copied.push(text) }, configurable: true })
    await button(part, 'Copy: Callback URL').trigger('click')
    await button(part, 'Copy: Verify token').trigger('click')
    await settle()
    expect(copied).toEqual(['https://parley.example.com/webhooks/instagram', 'Vt-0123456789abcdefghijklmnopqrstu'])
    expect(part.find('[data-webhook-outcome]').text()).toBe('Copied.')
  })

  it('says which rule an address or port breaks, from main’s own validation', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      path: PLATFORMS,
      script: { 'metaApp.get': () => LIVE, 'metaApp.webhook': () => polling, 'metaApp.setWebhook': () => polling },
    })
    const part = webhookPart(wrapper)
    await field(part, 'Public webhook address').setValue('http://parley.example.com')
    await field(part, 'Local port').setValue('80')
    await part.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('metaApp.setWebhook')).toEqual([{ publicUrl: 'http://parley.example.com', port: 80 }])
    const url = field(part, 'Public webhook address')
    expect(url.attributes('aria-invalid')).toBe('true')
    expect(part.find(`#${url.attributes('aria-describedby')}`).text()).toContain('Use an https:// address')
    expect(part.text()).toContain('Use a port from 1024 to 65535.')
    expect(document.activeElement).toBe(url.element)

    await url.setValue('https://example.com/parley')
    await field(part, 'Local port').setValue('48000')
    await part.find('form').trigger('submit')
    await settle()
    expect(part.find(`#${field(part, 'Public webhook address').attributes('aria-describedby')}`).text()).toContain('without a path')
    expect(field(part, 'Local port').attributes('aria-invalid')).toBeUndefined()
  })

  it('shows Meta’s refusal in the window’s language, and a setting fixed by the environment as read-only', async () => {
    const refused: WebhookView = {
      ...polling, publicUrl: 'https://parley.example.com', fromEnvironment: true, callbackUrl: 'https://parley.example.com/webhooks/instagram', verifyToken: 'tok-tok-tok-tok',
      problem: {
        code: 'webhook.refused', message: 'Meta did not accept …', remedy: null,
        params: { callbackUrl: 'https://parley.example.com/webhooks/instagram', host: '127.0.0.1', port: '47600', reason: '(#2200) callback verification failed' },
      },
    }
    const { wrapper } = await mountWithParley(App, {
      path: PLATFORMS, locale: 'de', settings: { preferences: { language: 'de', theme: 'system' } },
      script: { 'metaApp.get': () => LIVE, 'metaApp.webhook': () => refused },
    })
    const part = webhookPart(wrapper)
    expect(part.find('[data-receiving]').text()).toBe('Empfang durch Abfrage alle 30 s')
    expect(part.text()).toContain('Meta hat die Webhook-Adresse https://parley.example.com/webhooks/instagram nicht angenommen: (#2200) callback verification failed')
    expect(part.text()).toContain('an 127.0.0.1:47600 weiterleitet')
    expect(field(part, 'Öffentliche Webhook-Adresse').element.disabled).toBe(true)
    expect(part.text()).toContain('PARLEY_WEBHOOK_URL')
  })
})
