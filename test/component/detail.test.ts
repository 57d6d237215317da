import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { checks, defaultProfile, disconnected, integration, loginFinished } from './scriptedParley.ts'
import type { Integration } from '../../src-main/core/contract/index.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const detail = (id: string) => `/admin/message/platforms/${id}`
const travel = defaultProfile({ id: 'travel', name: 'Travel', builtIn: false, outbound: ['image/*'], maxBytes: 8 * 1024 * 1024 })

function withIntegrations(...list: Integration[]) {
  return { 'integrations.list': () => list, 'integrations.checkHealth': () => list, 'contentProfiles.list': () => [defaultProfile(), travel] }
}

describe('Integration detail', () => {
  it('shows the name, page and account, the default profile preselected and both story switches on', async () => {
    const { wrapper } = await mountWithParley(App, { path: detail('int-1'), script: withIntegrations(integration()) })
    expect(wrapper.find('.admin-content h2').text()).toBe('Coffee DMs')
    expect(field(wrapper, 'Name').element.value).toBe('Coffee DMs')
    expect(wrapper.find('[data-fact="page"]').text()).toBe('Nordlicht Kaffeerösterei')
    expect(wrapper.find('[data-fact="instagram"]').text()).toBe('@nordlicht.kaffee')
    const profile = field<HTMLSelectElement>(wrapper, 'Supported content')
    expect(profile.element.value).toBe('default')
    expect(profile.findAll('option').map((o) => o.text())).toEqual(['Default (default)', 'Travel'])
    expect(field(wrapper, 'Story mentions').element.checked).toBe(true)
    expect(field(wrapper, 'Story replies').element.checked).toBe(true)
    expect(field(wrapper, 'Story replies').attributes('role')).toBe('switch')
  })

  it('keeps name, supported content and story switches with the second Save', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      path: detail('int-1'),
      script: { ...withIntegrations(integration()), 'integrations.update': (input) => integration({ ...input, name: input.name ?? 'Coffee DMs' } as Partial<Integration>) },
    })
    await field(wrapper, 'Name').setValue('Coffee & Cake')
    await field<HTMLSelectElement>(wrapper, 'Supported content').setValue('travel')
    await field(wrapper, 'Story mentions').setValue(false)
    await button(wrapper, 'Save').trigger('click')
    await settle()
    expect(parley.inputsOf('integrations.update')).toEqual([{ id: 'int-1', name: 'Coffee & Cake', contentProfileId: 'travel', storyMentions: false, storyReplies: true }])
    expect(wrapper.find('[role="status"]').text()).toBe('The settings were saved.')
    expect(wrapper.find('.admin-content h2').text()).toBe('Coffee & Cake')
  })

  it('Delete asks first (S12), and only "Delete" in the dialog deletes', async () => {
    const { wrapper, parley, router } = await mountWithParley(App, {
      path: detail('int-1'),
      script: { ...withIntegrations(integration()), 'integrations.delete': () => ({ ok: true }) },
    })
    const opener = button(wrapper, 'Delete')
    ;(opener.element as HTMLElement).focus()
    await opener.trigger('click')
    let dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('Delete “Coffee DMs”?')
    expect(dialog.text()).toContain('can no longer be answered')
    expect(dialog.text()).toContain('They stay readable, marked as belonging to a deleted integration.')
    expect(document.activeElement?.textContent).toBe('Cancel')

    await button(dialog, 'Cancel').trigger('click')
    await settle()
    expect(wrapper.find('dialog[open]').exists()).toBe(false)
    expect(parley.inputsOf('integrations.delete')).toEqual([])
    expect(document.activeElement).toBe(opener.element)

    await opener.trigger('click')
    dialog = wrapper.find('dialog[open]')
    await button(dialog, 'Delete').trigger('click')
    await settle()
    expect(parley.inputsOf('integrations.delete')).toEqual([{ id: 'int-1' }])
    expect(router.currentRoute.value.name).toBe('platforms')
    expect(wrapper.find('.admin-content [role="status"]').text()).toBe('The integration “Coffee DMs” was deleted. Its conversations stay readable.')
  })

  it('Delete after a Recreate login ends that login too', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      path: detail('int-2'),
      transport: 'ipc',
      script: { ...withIntegrations(disconnected()), 'integrations.delete': () => ({ ok: true }) },
    })
    await button(wrapper, 'Recreate').trigger('click')
    await settle()
    await button(wrapper, 'Delete').trigger('click')
    await button(wrapper.find('dialog[open]'), 'Delete').trigger('click')
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
  })

  it('a disconnected integration shows the problem and recreates it after a new login', async () => {
    const restored = disconnected({ status: 'active', problem: null })
    const { wrapper, parley } = await mountWithParley(App, {
      path: detail('int-2'),
      transport: 'ipc',
      script: { ...withIntegrations(disconnected()), 'integrations.recreate': () => ({ saved: true, integration: restored }) },
    })
    expect(wrapper.find('[data-status]').text()).toBe('Disconnected')
    expect(wrapper.text()).toContain('the password was changed')
    await button(wrapper, 'Recreate').trigger('click')
    await settle()
    expect(parley.inputsOf('login.start')).toEqual([{ purpose: 'recreate', integrationId: 'int-2' }])
    expect(wrapper.text()).toContain('Waiting for Facebook…')
    parley.emit('login.finished', loginFinished())
    await settle()
    expect(parley.inputsOf('integrations.recreate')).toEqual([{ id: 'int-2', loginId: 'login-1' }])
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(wrapper.find('[role="status"]').text()).toBe('“Hotel DMs” is connected again.')
    expect(wrapper.find('[data-status]').text()).toBe('Active')
    expect(buttons(wrapper, 'Recreate')).toHaveLength(0)
  })

  it('Recreate shows failing prerequisites like Save does', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      path: detail('int-2'),
      transport: 'ipc',
      script: { ...withIntegrations(disconnected()), 'integrations.recreate': () => ({ saved: false, checks: checks({ ig_professional: { status: 'failed', fix: 'convert_to_professional' } }) }) },
    })
    await button(wrapper, 'Recreate').trigger('click')
    await settle()
    parley.emit('login.finished', loginFinished())
    await settle()
    expect(wrapper.find('[data-check="ig_professional"]').text()).toContain('Switch to professional account')
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(wrapper.find('[data-status]').text()).toBe('Disconnected')
  })

  it('Recreate from the Platforms list works in place', async () => {
    const restored = disconnected({ status: 'active', problem: null })
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/admin/message/platforms',
      transport: 'ipc',
      script: { ...withIntegrations(integration(), disconnected()), 'integrations.recreate': () => ({ saved: true, integration: restored }) },
    })
    await button(wrapper, 'Recreate').trigger('click')
    await settle()
    parley.emit('login.finished', loginFinished())
    await settle()
    expect(parley.inputsOf('integrations.recreate')).toEqual([{ id: 'int-2', loginId: 'login-1' }])
    expect(wrapper.find('.admin-content [role="status"]').text()).toBe('“Hotel DMs” is connected again.')
  })

  it('says when the integration does not exist', async () => {
    const { wrapper } = await mountWithParley(App, { path: detail('gone') })
    expect(wrapper.find('.admin-content h2').text()).toBe('This integration does not exist (any more).')
  })
})
