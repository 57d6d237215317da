import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { useAppStore } from '../../src-renderer/src/stores/app.ts'
import { usePreferencesStore } from '../../src-renderer/src/stores/preferences.ts'
import { en } from '../../src-renderer/src/i18n/en.ts'
import { de } from '../../src-renderer/src/i18n/de.ts'
import { flush, mountWithParley, settle } from './mountWithParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the window', () => {
  it('has a banner with the main navigation, a main area and a status bar', async () => {
    const { wrapper } = await mountWithParley(App)
    await useAppStore().load()
    await flush()
    expect(wrapper.find('header nav[aria-label="Main"]').exists()).toBe(true)
    // The sandbox's app is in use (Mode: Sandbox), so the Sandbox view is offered too (item 9).
    expect(wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).toEqual(['Inbox', 'Sandbox', 'Admin'])
    expect(wrapper.find('main#main').exists()).toBe(true)
    expect(wrapper.find('footer').text()).toContain('Mode: Sandbox')
    expect(wrapper.find('footer [role="status"]').text()).toContain('Connected')
    expect(wrapper.find('h1').text()).toBe('Inbox')
  })

  it('shows the connection as it changes', async () => {
    const { wrapper, setConnection } = await mountWithParley(App)
    setConnection('reconnecting')
    await flush()
    expect(wrapper.find('[role="status"]').text()).toContain('Reconnecting…')
    setConnection('stopped')
    await flush()
    expect(wrapper.find('[role="status"]').text()).toContain('Parley has stopped')
  })

  it('reaches Admin → Message → Platforms', async () => {
    const { wrapper, router } = await mountWithParley(App, { path: '/admin' })
    const group = wrapper.find('nav[aria-label="Admin sections"] [role="group"]')
    expect(wrapper.find(`#${group.attributes('aria-labelledby')}`).text()).toBe('Message')
    await group.find('a').trigger('click')
    // Admin pages load when first visited.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/admin/message/platforms'))
    await settle()
    expect(wrapper.find('.admin-content h2').text()).toBe('Platforms')
    expect(wrapper.text()).toContain('No integrations yet.')
  })

  it('switches to German through settings.set, which main keeps', async () => {
    const { wrapper, core } = await mountWithParley(App, { path: '/admin/message/platforms' })
    await wrapper.find('select').setValue('de')
    await flush()
    expect(core.settingsFile.get('preferences')).toEqual({ language: 'de', theme: 'system' })
    expect(wrapper.find('.admin-content h2').text()).toBe('Plattformen')
    expect(wrapper.find('label').text()).toContain('Sprache')
    expect(document.documentElement.lang).toBe('de')
  })

  it('starts in the language main has kept', async () => {
    const { wrapper } = await mountWithParley(App, { settings: { preferences: { language: 'de', theme: 'dark' } } })
    await usePreferencesStore().load()
    await flush()
    expect(wrapper.find('h1').text()).toBe('Posteingang')
    expect(document.documentElement.dataset.theme).toBe('dark')
  })

  it('says why a preference could not be saved, and keeps the old one', async () => {
    const { wrapper, core } = await mountWithParley(App)
    core.settingsFile.set = () => {
      throw new Error('disk full')
    }
    await wrapper.findAll('select')[1]!.setValue('dark')
    await flush()
    expect(wrapper.find('[role="alert"]').text()).toContain('could not be saved')
    expect(usePreferencesStore().theme).toBe('system')
  })
})

describe('the German translation', () => {
  it('has every string the English one has, and no English left in it', () => {
    const paths = (object: object, prefix = ''): string[] =>
      Object.entries(object).flatMap(([key, value]) =>
        typeof value === 'object' ? paths(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
      )
    expect(paths(de)).toEqual(paths(en))
    const lookup = (messages: object, path: string) =>
      path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], messages) as string
    // Names that are the same in both languages on purpose.
    const same = new Set([
      'app.name', 'nav.admin', 'admin.title', 'languages.en', 'languages.de', 'status.label', 'status.modes.sandbox', 'status.modes.live', 'status.version', 'preferences.themes.system',
      // Product names and labels the product keeps in both languages (S1, Meta's own terms).
      'common.name', 'setup.instagramDirect', 'setup.instagramLogin', 'metaApp.appId', 'metaApp.appSecret', 'status.ownApp',
      // Templates made only of placeholders and units.
      'setup.pageOption', 'setup.unavailableItem', 'contentProfiles.maxSizeValue',
      // The inbox: "Sandbox" is a product name; handles, emoji and media words are the same in German.
      'nav.sandbox', 'sandbox.title', 'inbox.username', 'inbox.notifications.body', 'thread.via',
      'thread.reactions.love', 'thread.reactions.like', 'thread.reactions.laugh', 'thread.reactions.wow', 'thread.reactions.sad', 'thread.reactions.angry',
      'thread.attachment.video', 'thread.attachment.audio', 'thread.attachment.ig_reel', 'thread.attachment.reel',
      'sandbox.accountOption', 'sandbox.customerOption', 'sandbox.recentItem',
      // Team mode: the roles keep their names (as in the contact centre's own vocabulary); Team, Name, Person, Status are German too.
      'people.roles.agent', 'people.roles.supervisor', 'admin.team', 'people.name', 'people.status', 'thread.assign.person',
      // Routing: "Offline" and "Person" are German words too.
      'presenceLabels.offline', 'routing.transfer.person',
      // The API's page: "Name" is German too.
      'apiKeys.name',
      // Routing admin (R1, R6): Name, Integration, Agent and Optional are German too; the rest are placeholders, units and a dash.
      'queues.name', 'queues.afterWorkOptions.optional', 'messageRouting.integration', 'queueActivity.agent', 'queueActivity.integration',
      'queues.seconds', 'queueActivity.conversationsValue', 'queueActivity.nobodyWaiting',
      // Diagnostics: OK, Problem, Info, Integration and Details are German words too.
      'diagnostics.verdicts.ok', 'diagnostics.verdicts.problem', 'diagnostics.levelNames.info', 'diagnostics.integration', 'diagnostics.details',
    ])
    const untranslated = paths(en).filter((path) => !same.has(path) && lookup(en, path) === lookup(de, path))
    expect(untranslated).toEqual([])
  })
})
