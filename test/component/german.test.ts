import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { defaultProfile, disconnected, integration, loginFinished, page } from './scriptedParley.ts'
import { en } from '../../src-renderer/src/i18n/en.ts'
import { de } from '../../src-renderer/src/i18n/de.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

// product.md S1 and the seed page: these words are contracts in both languages.
describe('the contract’s labels', () => {
  it('are exact in English and German', () => {
    const pairs: [string, string, string][] = [
      [en.nav.admin, de.nav.admin, 'Admin'],
      [en.admin.message, de.admin.message, 'Nachricht'],
      [en.admin.platforms, de.admin.platforms, 'Plattformen'],
      [en.platforms.newIntegration, de.platforms.newIntegration, 'Neue Integration'],
      [en.setup.instagramDirect, de.setup.instagramDirect, 'Instagram Direct'],
      [en.setup.instagramLogin, de.setup.instagramLogin, 'Instagram Login'],
      [en.common.name, de.common.name, 'Name'],
      [en.integration.page, de.integration.page, 'Seitenname'],
      [en.common.save, de.common.save, 'Speichern'],
      [en.common.cancel, de.common.cancel, 'Abbrechen'],
      [en.common.delete, de.common.delete, 'Löschen'],
      [en.admin.supportedContent, de.admin.supportedContent, 'Unterstützte Inhalte'],
      [en.integration.status.active, de.integration.status.active, 'Aktiv'],
      [en.integration.status.disconnected, de.integration.status.disconnected, 'Getrennt'],
      [en.integration.recreate, de.integration.recreate, 'Neu erstellen'],
      [en.metaApp.title, de.metaApp.title, 'Meta-App'],
      [en.metaApp.appId, de.metaApp.appId, 'App ID'],
      [en.metaApp.appSecret, de.metaApp.appSecret, 'App Secret'],
    ]
    expect(pairs.map(([english]) => english)).toEqual([
      'Admin', 'Message', 'Platforms', 'New integration', 'Instagram Direct', 'Instagram Login', 'Name', 'Page name', 'Save', 'Cancel', 'Delete',
      'Supported content', 'Active', 'Disconnected', 'Recreate', 'Meta app', 'App ID', 'App Secret',
    ])
    for (const [, german, expected] of pairs) expect(german).toBe(expected)
  })
})

describe('the screens in German', () => {
  it('Admin → Nachricht → Plattformen, with "Neue Integration", states and "Neu erstellen"', async () => {
    const list = [integration(), disconnected()]
    const { wrapper } = await mountWithParley(App, {
      locale: 'de',
      path: '/admin/message/platforms',
      script: { 'integrations.list': () => list, 'integrations.checkHealth': () => list },
    })
    expect(wrapper.findAll('nav[aria-label="Hauptnavigation"] a').map((a) => a.text())).toContain('Admin')
    expect(wrapper.find('#admin-group-message').text()).toBe('Nachricht')
    expect(wrapper.findAll('nav[aria-label="Admin-Bereiche"] a').map((a) => a.text())).toEqual(['Plattformen', 'Unterstützte Inhalte', 'Nachrichten-Routing', 'Warteschlangen', 'Warteschlangenaktivität', 'Diagnose'])
    expect(wrapper.find('.admin-content h2').text()).toBe('Plattformen')
    expect(button(wrapper, 'Neue Integration').exists()).toBe(true)
    expect(wrapper.findAll('[data-status]').map((s) => s.text())).toEqual(['Aktiv', 'Getrennt'])
    expect(button(wrapper, 'Neu erstellen').exists()).toBe(true)
    // The problem's code is known: German words, not main's English.
    expect(wrapper.text()).toContain('weil das Passwort geändert wurde')
    expect(wrapper.find('section.meta-app h3').text()).toBe('Meta-App')
    expect(field(wrapper, 'App ID').exists()).toBe(true)
    expect(field(wrapper, 'App Secret').attributes('type')).toBe('password')
    expect(button(wrapper.find('section.meta-app'), 'Speichern').exists()).toBe(true)
    expect(wrapper.find('footer [data-meta-app]').text()).toBe('Sandbox-App')
  })

  it('the setup form: Instagram Direct, Instagram Login, Name, Seitenname, Speichern, Abbrechen', async () => {
    const { wrapper, parley } = await mountWithParley(App, { locale: 'de', transport: 'ipc', path: '/admin/message/platforms/new' })
    expect(wrapper.find('.admin-content h2').text()).toBe('Neue Integration')
    await button(wrapper, 'Instagram Direct').trigger('click')
    await settle()
    await button(wrapper, 'Instagram Login').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('Warte auf Facebook …')
    parley.emit('login.finished', loginFinished({ pages: [page(), page({ id: 'p2', name: 'Studio Lindgren', instagram: null, selectable: false, unavailable: 'no_linked_account' })] }))
    await settle()
    expect(wrapper.text()).toContain('Angemeldet als Mia Berger.')
    expect(field(wrapper, 'Name').exists()).toBe(true)
    expect(field(wrapper, 'Seitenname').element.tagName).toBe('SELECT')
    expect(wrapper.text()).toContain('Studio Lindgren: verknüpfen Sie zuerst ein professionelles Instagram-Konto mit dieser Seite')
    expect(buttons(wrapper, 'Speichern')).toHaveLength(1)
    expect(buttons(wrapper, 'Abbrechen')).toHaveLength(1)
  })

  it('the detail page: Löschen, Unterstützte Inhalte, and the warning in the dialog', async () => {
    const { wrapper } = await mountWithParley(App, {
      locale: 'de',
      path: '/admin/message/platforms/int-1',
      script: { 'integrations.list': () => [integration()], 'contentProfiles.list': () => [defaultProfile()] },
    })
    expect(field(wrapper, 'Unterstützte Inhalte').element.tagName).toBe('SELECT')
    await button(wrapper, 'Löschen').trigger('click')
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('„Coffee DMs“ löschen?')
    expect(buttons(dialog, 'Löschen')).toHaveLength(1)
    expect(buttons(dialog, 'Abbrechen')).toHaveLength(1)
  })
})
