// I1–I2 in the window: Admin → API keys and Event subscriptions on a Parley server — a key or a
// signing secret is shown once, revoking asks first, a subscription Parley turned off is said so,
// the delivery log shows each attempt — against a scripted main validating every input and answer.
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { INTEGRATION_PERMISSION, type ApiKeyView, type SubscriptionView } from '../../src-main/core/contract/index.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, field, texts } from './queries.ts'
import type { Script } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const onServer: Script = {
  'session.get': () => ({ profile: 'supervisor', permissions: [INTEGRATION_PERMISSION], person: { id: 'p-sara', name: 'Sara Vogel', username: 'sara' }, team: true }),
}
const key = (overrides: Partial<ApiKeyView> = {}): ApiKeyView => ({
  id: 'k1', name: 'CRM sync', prefix: 'prl_AbCdEfGh', scopes: ['read'], createdAt: '2026-12-01T09:00:00.000Z', createdBy: 'Sara Vogel', lastUsedAt: null, revokedAt: null, ...overrides,
})
const subscription = (overrides: Partial<SubscriptionView> = {}): SubscriptionView => ({
  id: 's1', url: 'https://crm.example.com/parley', types: ['conversation.ended'], enabled: true, createdAt: '2026-12-01T09:00:00.000Z', consecutiveFailures: 0, disabledReason: null, pending: 0, ...overrides,
})

describe('API keys (I1)', () => {
  it('creates a key with its scopes and shows it once; revoking asks first', async () => {
    let keys: ApiKeyView[] = []
    const { wrapper, parley, router } = await mountWithParley(App, {
      script: {
        ...onServer,
        'apiKeys.list': () => keys,
        'apiKeys.create': ({ name, scopes }) => {
          const made = key({ name, scopes })
          keys = [made]
          return { key: made, secret: 'prl_AbCdEfGh0123456789012345678901234567890123' }
        },
        'apiKeys.revoke': ({ id }) => (keys = keys.map((k) => (k.id === id ? { ...k, revokedAt: '2026-12-02T09:00:00.000Z' } : k)))[0]!,
      },
    })
    await router.push('/admin')
    await settle()
    await wrapper.findAll('a').find((a) => a.text() === 'API keys')!.trigger('click')
    await settle()
    expect(wrapper.find('h2#api-keys-title').text()).toBe('API keys')
    expect(wrapper.text()).toContain('No API keys yet.')

    await button(wrapper, 'Create API key').trigger('click')
    await button(wrapper, 'Create key').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('Fill this in.')
    expect(parley.inputsOf('apiKeys.create')).toEqual([])

    await field(wrapper, 'Name').setValue('CRM sync')
    const messages = wrapper.findAll('input[type="checkbox"]').find((c) => (c.element as HTMLInputElement).value === 'messages:read')!
    await messages.setValue(true)
    await button(wrapper, 'Create key').trigger('click')
    await settle()
    expect(parley.inputsOf('apiKeys.create')).toEqual([{ name: 'CRM sync', scopes: ['read', 'messages:read'] }])
    const shown = field(wrapper, 'API key “CRM sync”')
    expect((shown.element as HTMLInputElement).value).toBe('prl_AbCdEfGh0123456789012345678901234567890123')
    expect(wrapper.text()).toContain('Parley shows this only once')
    await button(wrapper, 'Done').trigger('click')
    expect(wrapper.text()).not.toContain('prl_AbCdEfGh0123456789012345678901234567890123')
    expect(texts(wrapper, 'tbody tr th')).toEqual(['CRM sync'])
    expect(wrapper.find('tbody tr').text()).toContain('prl_AbCdEfGh…')

    await button(wrapper, 'Revoke: CRM sync').trigger('click')
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('Revoke “CRM sync”?')
    await button(dialog, 'Revoke').trigger('click')
    await settle()
    expect(parley.inputsOf('apiKeys.revoke')).toEqual([{ id: 'k1' }])
    expect(wrapper.find('tbody tr').text()).toContain('Revoked')
    expect(wrapper.find('[role="status"]').text()).toBe('“CRM sync” was revoked.')
  })
})

describe('event subscriptions (I2)', () => {
  it('adds one with its event types and shows its signing secret once; main’s word on the address is shown at the field', async () => {
    let list: SubscriptionView[] = []
    const { wrapper, parley, router } = await mountWithParley(App, {
      script: {
        ...onServer,
        'subscriptions.list': () => list,
        'subscriptions.create': ({ url, types }) => {
          const made = subscription({ url, types })
          list = [made]
          return { subscription: made, secret: 'whsec_0123456789' }
        },
      },
    })
    await router.push('/admin/team/event-subscriptions')
    await settle()
    await button(wrapper, 'Add subscription').trigger('click')
    await field(wrapper, 'Address').setValue('http://crm.example.com/parley')
    await button(wrapper, 'Add').trigger('click')
    await settle()
    // Main refuses plain http away from this machine; the window says why at the field.
    expect(wrapper.find('.field-error').text()).toMatch(/^Use an https:\/\/ address/)
    expect(wrapper.text()).toContain('No event subscriptions yet.')

    await field(wrapper, 'Address').setValue('https://crm.example.com/parley')
    for (const type of ['conversation.started', 'conversation.routed', 'conversation.accepted', 'conversation.transferred']) {
      await wrapper.findAll('input[type="checkbox"]').find((c) => (c.element as HTMLInputElement).value === type)!.setValue(false)
    }
    await button(wrapper, 'Add').trigger('click')
    await settle()
    expect(parley.inputsOf('subscriptions.create').at(-1)).toEqual({ url: 'https://crm.example.com/parley', types: ['conversation.ended'] })
    expect((field(wrapper, 'Signing secret for https://crm.example.com/parley').element as HTMLInputElement).value).toBe('whsec_0123456789')
  })

  it('says which subscription Parley turned off and why, and shows its delivery log', async () => {
    const off = subscription({ enabled: false, disabledReason: 'failures', consecutiveFailures: 20, pending: 3 })
    const { wrapper, parley, router } = await mountWithParley(App, {
      locale: 'de',
      script: {
        ...onServer,
        'subscriptions.list': () => [off],
        'subscriptions.deliveries': () => [
          { id: 'd1', eventId: 'evt_7_ended', eventType: 'conversation.ended', state: 'pending', attempts: 20, lastStatus: 503, lastError: 'The receiver answered 503.', createdAt: '2026-12-01T09:00:00.000Z', nextAttemptAt: '2026-12-01T10:00:00.000Z', finishedAt: null },
        ],
        'subscriptions.setEnabled': ({ enabled }) => ({ ...off, enabled, disabledReason: null, consecutiveFailures: 0 }),
      },
    })
    await router.push('/admin/team/event-subscriptions')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toContain('nach wiederholt gescheiterten Zustellungen abgeschaltet')
    expect(wrapper.find('tbody tr').text()).toContain('Nach wiederholten Fehlern abgeschaltet')
    await button(wrapper, 'Zustellprotokoll: https://crm.example.com/parley').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('evt_7_ended')
    expect(wrapper.text()).toContain('The receiver answered 503.')
    await button(wrapper, 'Anschalten: https://crm.example.com/parley').trigger('click')
    await settle()
    expect(parley.inputsOf('subscriptions.setEnabled')).toEqual([{ id: 's1', enabled: true }])
    expect(wrapper.find('tbody tr').text()).toContain('An')
  })
})
