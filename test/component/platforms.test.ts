import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { ParleyError } from '../../src-main/core/contract/index.ts'
import { button, buttons, field } from './queries.ts'
import { disconnected, integration } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const PLATFORMS = '/admin/message/platforms'

describe('Platforms', () => {
  it('lists each integration with its account, page, status and health', async () => {
    const active = integration()
    const broken = disconnected()
    const { wrapper } = await mountWithParley(App, { path: PLATFORMS, script: { 'integrations.list': () => [active, broken], 'integrations.checkHealth': () => [active, broken] } })
    const cards = wrapper.findAll('[aria-label="Integrations"] > li')
    expect(cards).toHaveLength(2)
    const [first, second] = cards as [(typeof cards)[0], (typeof cards)[0]]

    expect(first.find('h3').text()).toBe('Coffee DMs')
    expect(first.text()).toContain('@nordlicht.kaffee')
    expect(first.text()).toContain('Nordlicht Kaffeerösterei')
    expect(first.find('[data-status]').text()).toBe('Active')
    expect(first.find('[data-fact="expiry"] dd').text()).toBe('never')
    expect(first.find('[data-fact="webhook"] dd').text()).toBe('Subscribed')
    expect(first.find('[data-fact="rate-limit"] dd').text()).toBe('12 % of the limit')
    expect(first.find('[data-fact="last-event"] dd').text()).not.toBe('none yet')
    expect(first.findAll('button').map((b) => b.text())).not.toContain('Recreate')

    expect(second.find('[data-status]').text()).toBe('Disconnected')
    expect(second.text()).toContain('the password was changed')
    expect(second.text()).toContain('Delete and recreate the integration')
    expect(button(second, 'Recreate').exists()).toBe(true)
    expect(second.find('[data-fact="token"] dd').text()).toBe('Not accepted by Facebook')
    expect(second.find('[data-fact="expiry"] dd').text()).toBe('unknown')
    expect(second.find('[data-fact="last-event"] dd').text()).toBe('none yet')
    expect(second.find('[data-fact="webhook"] dd').text()).toBe('Unknown')
  })

  it('shows an expiry date and "unknown" before the first check', async () => {
    const expiring = integration({ health: { ...integration().health, tokenNeverExpires: false, tokenExpiresAt: '2027-01-20T12:00:00.000Z' } })
    const unchecked = integration({ id: 'int-3', name: 'New', health: { ...integration().health, tokenValid: null, tokenNeverExpires: false, checkedAt: null } })
    const { wrapper } = await mountWithParley(App, { path: PLATFORMS, script: { 'integrations.list': () => [expiring, unchecked], 'integrations.checkHealth': () => [expiring, unchecked] } })
    const [first, second] = wrapper.findAll('[aria-label="Integrations"] > li')
    expect(first!.find('[data-fact="expiry"] dd').text()).toMatch(/2027/)
    expect(second!.find('[data-fact="expiry"] dd').text()).toBe('unknown')
    expect(second!.find('[data-fact="token"] dd').text()).toBe('Not checked yet')
  })

  it('checks health when it opens and on "Check now", and follows integrations.changed', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PLATFORMS })
    expect(parley.inputsOf('integrations.checkHealth')).toHaveLength(1)
    expect(wrapper.text()).toContain('No integrations yet.')

    parley.script({ 'integrations.checkHealth': () => [integration()] })
    await button(wrapper, 'Check now').trigger('click')
    await settle()
    expect(parley.inputsOf('integrations.checkHealth')).toHaveLength(2)
    expect(wrapper.find('[aria-label="Integrations"]').text()).toContain('Coffee DMs')
    expect(wrapper.text()).toContain('Last checked')

    parley.emit('integrations.changed', [integration({ status: 'disconnected', problem: disconnected().problem })])
    await settle()
    expect(wrapper.find('[data-status]').text()).toBe('Disconnected')
  })

  it('opens an integration’s detail page from its name', async () => {
    const { wrapper, router } = await mountWithParley(App, { path: PLATFORMS, script: { 'integrations.list': () => [integration()], 'integrations.checkHealth': () => [integration()] } })
    await wrapper.find('[aria-label="Integrations"] h3 a').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('integration')
    expect(router.currentRoute.value.params.id).toBe('int-1')
    expect(wrapper.find('.admin-content h2').text()).toBe('Coffee DMs')
  })

  it('"New integration" opens the setup page', async () => {
    const { wrapper, router } = await mountWithParley(App, { path: PLATFORMS })
    await button(wrapper, 'New integration').trigger('click')
    await settle()
    expect(router.currentRoute.value.path).toBe('/admin/message/platforms/new')
  })

  it('says when a health check fails: known codes in the window’s words, others in main’s', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      path: PLATFORMS,
      script: { 'integrations.checkHealth': () => Promise.reject(new ParleyError('forbidden', 'Not allowed.')) },
    })
    expect(wrapper.find('[role="alert"]').text()).toBe('The health check failed: You do not have the permission to do this.')
    parley.script({ 'integrations.checkHealth': () => Promise.reject(new ParleyError('graph_unreachable', 'Meta could not be reached.')) })
    await button(wrapper, 'Check now').trigger('click')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('The health check failed: Meta could not be reached.')
  })
})

describe('Meta app', () => {
  const metaSection = (wrapper: Awaited<ReturnType<typeof mountWithParley>>['wrapper']) => wrapper.find('section.meta-app')

  it('says the sandbox’s app is used, and the status bar says "Sandbox app"', async () => {
    const { wrapper } = await mountWithParley(App, { path: PLATFORMS })
    expect(metaSection(wrapper).find('h3').text()).toBe('Meta app')
    expect(metaSection(wrapper).text()).toContain('Parley uses the sandbox’s app')
    expect(wrapper.find('footer [data-meta-app]').text()).toBe('Sandbox app')
    expect(buttons(metaSection(wrapper), 'Use the sandbox')).toHaveLength(0)
  })

  it('never fills in the App Secret; says where a stored one lives; warns about memory-only secrets', async () => {
    const { wrapper } = await mountWithParley(App, {
      path: PLATFORMS,
      script: { 'metaApp.get': () => ({ mode: 'live', appId: '1234567890', secretStored: true, secretStore: 'memory' }) },
    })
    const section = metaSection(wrapper)
    expect(field(section, 'App ID').element.value).toBe('1234567890')
    const secret = field(section, 'App Secret')
    expect(secret.attributes('type')).toBe('password')
    expect(secret.element.value).toBe('')
    expect(section.find('[data-secret-store="memory"]').text()).toContain('must be reconnected')
    expect(section.text()).toContain('An App Secret is kept in memory')
    expect(wrapper.find('footer [data-meta-app]').text()).toBe('App 1234567890')
  })

  it('notes Electron’s encrypted storage when the keychain was unavailable', async () => {
    const { wrapper } = await mountWithParley(App, {
      path: PLATFORMS,
      script: { 'metaApp.get': () => ({ mode: 'live', appId: '1234567890', secretStored: true, secretStore: 'safe-storage' }) },
    })
    expect(metaSection(wrapper).find('[data-secret-store="safe-storage"]').text()).toContain('OS keychain was not available')
    expect(metaSection(wrapper).text()).toContain('stored with Electron’s encrypted storage')
  })

  it('shows main’s validation issues at the fields', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PLATFORMS, script: { 'metaApp.set': () => ({ mode: 'live', appId: '1', secretStored: true, secretStore: 'keychain' }) } })
    const section = metaSection(wrapper)
    await field(section, 'App ID').setValue('abc')
    await field(section, 'App Secret').setValue('short')
    await section.find('form').trigger('submit')
    await settle()
    // The contract's own schema refused both (the handler never ran).
    expect(parley.inputsOf('metaApp.set')).toEqual([{ appId: 'abc', appSecret: 'short' }])
    const appId = field(section, 'App ID')
    expect(appId.attributes('aria-invalid')).toBe('true')
    expect(section.find(`#${appId.attributes('aria-describedby')}`).text()).toBe('An App ID is a number, as shown in the Meta App Dashboard.')
    expect(field(section, 'App Secret').attributes('aria-describedby')).toBeTruthy()
    expect(section.text()).toContain('An App Secret is 32 letters and digits')
    expect(field(section, 'App Secret').element.value).toBe('')
    expect(document.activeElement).toBe(appId.element)
  })

  it('saves the app, then offers "Use the sandbox" behind a confirmation', async () => {
    let view = { mode: 'sandbox' as 'sandbox' | 'live', appId: null as string | null, secretStored: false, secretStore: 'keychain' as const }
    const { wrapper, parley } = await mountWithParley(App, {
      path: PLATFORMS,
      script: {
        'metaApp.get': () => view,
        'metaApp.set': ({ appId }) => (view = { ...view, mode: 'live', appId, secretStored: true }),
        'metaApp.clear': () => (view = { ...view, mode: 'sandbox', appId: null, secretStored: false }),
      },
    })
    const section = metaSection(wrapper)
    await field(section, 'App ID').setValue('1234567890')
    await field(section, 'App Secret').setValue('0123456789abcdef0123456789ABCDEF')
    await section.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('metaApp.set').at(-1)).toEqual({ appId: '1234567890', appSecret: '0123456789abcdef0123456789ABCDEF' })
    expect(section.find('[role="status"]').text()).toBe('Saved. Parley now uses your Meta app 1234567890.')
    expect(field(section, 'App Secret').element.value).toBe('')
    expect(section.text()).toContain('An App Secret is stored in the OS keychain')
    expect(wrapper.find('footer [data-meta-app]').text()).toBe('App 1234567890')

    await button(section, 'Use the sandbox').trigger('click')
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('Use the sandbox app?')
    expect(parley.inputsOf('metaApp.clear')).toHaveLength(0)
    await button(dialog, 'Use the sandbox').trigger('click')
    await settle()
    expect(parley.inputsOf('metaApp.clear')).toHaveLength(1)
    expect(wrapper.find('footer [data-meta-app]').text()).toBe('Sandbox app')
    expect(section.find('[role="status"]').text()).toBe('Parley uses the sandbox’s app again.')
  })
})
