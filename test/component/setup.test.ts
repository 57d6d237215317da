import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { checks, integration, loginFinished, page } from './scriptedParley.ts'
import { ParleyError } from '../../src-main/core/contract/index.ts'

afterEach(() => {
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

const NEW = '/admin/message/platforms/new'

/** Opens "New integration", picks the tile and clicks "Instagram Login" (desktop: main opens the window). */
async function startLogin(script: Parameters<typeof mountWithParley>[1] = {}) {
  const mounted = await mountWithParley(App, { path: NEW, transport: 'ipc', ...script })
  await button(mounted.wrapper, 'Instagram Direct').trigger('click')
  await settle()
  await button(mounted.wrapper, 'Instagram Login').trigger('click')
  await settle()
  return mounted
}

describe('New integration', () => {
  it('starts at the "Instagram Direct" tile, then offers "Instagram Login"', async () => {
    const { wrapper } = await mountWithParley(App, { path: NEW, transport: 'ipc' })
    expect(wrapper.find('.admin-content h2').text()).toBe('New integration')
    expect(buttons(wrapper, 'Instagram Login')).toHaveLength(0)
    await button(wrapper, 'Instagram Direct').trigger('click')
    await settle()
    expect(button(wrapper, 'Instagram Login').exists()).toBe(true)
    expect(document.activeElement?.textContent).toBe('Instagram Direct')
  })

  it('waits for Facebook, then offers "Name" and every Page, the unavailable ones disabled with the reason', async () => {
    const { wrapper, parley } = await startLogin()
    expect(parley.inputsOf('login.start')).toEqual([{ purpose: 'create' }])
    expect(wrapper.find('[role="status"]').text()).toContain('Waiting for Facebook…')
    expect(button(wrapper, 'Cancel').exists()).toBe(true)
    expect(buttons(wrapper, 'Save')).toHaveLength(0)

    parley.emit(
      'login.finished',
      loginFinished({
        pages: [
          page({ id: 'p-none', name: 'Studio Lindgren', instagram: null, selectable: false, unavailable: 'no_linked_account' }),
          page(),
          page({ id: 'p-switch', name: 'Bäckerei Sonne', selectable: false, unavailable: 'switch_not_confirmed' }),
          page({ id: 'p-used', name: 'Hafenblick Hotel', selectable: false, unavailable: 'already_integrated', integrationName: 'Hotel DMs' }),
        ],
      }),
    )
    await settle()
    expect(wrapper.text()).toContain('Logged in as Mia Berger.')
    expect(field(wrapper, 'Name').exists()).toBe(true)
    expect(document.activeElement).toBe(field(wrapper, 'Name').element)
    const select = field<HTMLSelectElement>(wrapper, 'Page name')
    expect(select.element.tagName).toBe('SELECT')
    const options = select.findAll('option').filter((o) => o.attributes('value'))
    expect(options.map((o) => [o.attributes('value'), o.element.disabled])).toEqual([
      ['p-none', true],
      ['page-1', false],
      ['p-switch', true],
      ['p-used', true],
    ])
    expect(options[0]!.text()).toContain('link an Instagram professional account to this Page first')
    expect(options[2]!.text()).toContain('confirm the switch to a professional account in the Page settings')
    expect(options[3]!.text()).toContain('already used by Hotel DMs')
    expect(select.element.value).toBe('page-1')
    // The reasons are readable outside the closed select too.
    const reasons = wrapper.find(`#${select.attributes('aria-describedby')!.split(' ')[1]}`)
    expect(reasons.findAll('li').map((li) => li.text())).toEqual([
      'Studio Lindgren: link an Instagram professional account to this Page first',
      'Bäckerei Sonne: confirm the switch to a professional account in the Page settings',
      'Hafenblick Hotel: already used by Hotel DMs',
    ])
    expect(button(wrapper, 'Save').exists()).toBe(true)
    expect(button(wrapper, 'Cancel').exists()).toBe(true)
  })

  it('ignores a login.finished for another login', async () => {
    const { wrapper, parley } = await startLogin()
    parley.emit('login.finished', loginFinished({ loginId: 'someone-else' }))
    await settle()
    expect(wrapper.text()).toContain('Waiting for Facebook…')
    expect(wrapper.text()).not.toContain('Logged in as')
  })

  it('says a cancelled login was cancelled, and offers "Instagram Login" again', async () => {
    const { wrapper, parley } = await startLogin()
    parley.emit('login.finished', loginFinished({ outcome: 'cancelled', person: null, pages: [] }))
    await settle()
    expect(wrapper.find('[role="status"]').text()).toBe('The Facebook login was cancelled.')
    expect(buttons(wrapper, 'Instagram Login')).toHaveLength(1)
    expect(wrapper.findAll('label').map((l) => l.text())).not.toContain('Name')
  })

  it('shows a refused login (S5) prominently, and lets the person log in again', async () => {
    const { wrapper, parley } = await startLogin()
    const problem = { code: 'login.pages_dropped', message: 'This login would take away access…', remedy: 'Log in again, keeping every Page selected.' }
    parley.emit('login.finished', loginFinished({ outcome: 'refused', person: 'Mia Berger', pages: [], problem }))
    await settle()
    const alert = wrapper.find('[role="alert"]')
    expect(alert.text()).toContain('Parley did not accept this login')
    expect(alert.text()).toContain('Facebook must be given every Page that is already integrated')
    expect(wrapper.findAll('label').map((l) => l.text())).not.toContain('Name')
    expect(document.activeElement?.textContent?.trim()).toBe('Instagram Login')

    // Trying again ends the old login and starts a new one.
    parley.script({ 'login.start': () => ({ loginId: 'login-2', popupUrl: null }) })
    await button(wrapper, 'Instagram Login').trigger('click')
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(parley.inputsOf('login.start')).toHaveLength(2)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('Waiting for Facebook…')
  })

  it('shows a failed login with main’s words when the code is unknown', async () => {
    const { wrapper, parley } = await startLogin()
    parley.emit('login.finished', loginFinished({ outcome: 'failed', person: null, pages: [], problem: { code: 'oauth.weird', message: 'Facebook answered oddly.', remedy: null } }))
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toContain('The Facebook login did not work')
    expect(wrapper.find('[role="alert"]').text()).toContain('Facebook answered oddly.')
  })

  it('Save with failing prerequisites shows the checklist in order and keeps the form', async () => {
    const { wrapper, parley, router } = await startLogin({
      script: {
        'integrations.create': () => ({
          saved: false,
          checks: checks({
            ig_linked: { status: 'failed', fix: 'confirm_professional_switch' },
            permissions: { status: 'failed', fix: 'grant_permissions', missing: ['instagram_manage_messages', 'pages_manage_metadata'] },
          }),
        }),
      },
    })
    parley.emit('login.finished', loginFinished())
    await settle()
    await field(wrapper, 'Name').setValue('  Coffee DMs ')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('integrations.create')).toEqual([{ loginId: 'login-1', pageId: 'page-1', name: 'Coffee DMs' }])
    const items = wrapper.findAll('.checklist li')
    expect(items.map((li) => li.attributes('data-check'))).toEqual(['page_published', 'ig_professional', 'ig_linked', 'permissions'])
    expect(items.map((li) => li.find('.check-status').text())).toEqual(['— Passed', '— Passed', '— Failed', '— Failed'])
    expect(items[2]!.text()).toContain('confirm the switch from a personal to a professional account')
    expect(items[3]!.text()).toContain('allow every permission')
    expect(items[3]!.text()).toContain('instagram_manage_messages and pages_manage_metadata')
    expect(wrapper.find('.checklist [role="alert"]').text()).toContain('Meet these prerequisites in this order')
    // Still on the form, still logged in: nothing ended.
    expect(router.currentRoute.value.path).toBe(NEW)
    expect(field(wrapper, 'Name').element.value).toBe('  Coffee DMs ')
    expect(parley.inputsOf('login.end')).toEqual([])
  })

  it('shows "not checked" items after the first failure', async () => {
    const { wrapper, parley } = await startLogin({
      script: {
        'integrations.create': () => ({
          saved: false,
          checks: checks({ page_published: { status: 'failed', fix: 'publish_page' }, ig_professional: { status: 'not_checked' }, ig_linked: { status: 'not_checked' }, permissions: { status: 'not_checked' } }),
        }),
      },
    })
    parley.emit('login.finished', loginFinished())
    await settle()
    await field(wrapper, 'Name').setValue('Coffee DMs')
    await wrapper.find('form').trigger('submit')
    await settle()
    const statuses = wrapper.findAll('.checklist .check-status').map((s) => s.text())
    expect(statuses).toEqual(['— Failed', '— Not checked', '— Not checked', '— Not checked'])
    expect(wrapper.find('[data-check="page_published"]').text()).toContain('Page published')
  })

  it('asks for a name before saving', async () => {
    const { wrapper, parley } = await startLogin()
    parley.emit('login.finished', loginFinished())
    await settle()
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('integrations.create')).toEqual([])
    const name = field(wrapper, 'Name')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(wrapper.find(`#${name.attributes('aria-describedby')}`).text()).toBe('Give the integration a name.')
  })

  it('says in plain words when the Page is already integrated or the login expired', async () => {
    const { wrapper, parley } = await startLogin({ script: { 'integrations.create': () => Promise.reject(new ParleyError('page_already_integrated', 'That page is taken.')) } })
    parley.emit('login.finished', loginFinished())
    await settle()
    await field(wrapper, 'Name').setValue('Coffee DMs')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('This Page is already used by another integration. Choose another Page: each Page can have one integration.')

    parley.script({ 'integrations.create': () => Promise.reject(new ParleyError('login_expired', 'The login expired.')) })
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('The Facebook login has expired. Click Instagram Login to log in again.')
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(buttons(wrapper, 'Instagram Login')).toHaveLength(1)
  })

  it('Save success ends the login and opens the integration, where "Save" has become "Delete"', async () => {
    const saved = integration({ name: 'Coffee DMs' })
    const { wrapper, parley, router } = await startLogin({
      script: { 'integrations.create': () => ({ saved: true, integration: saved }), 'integrations.list': () => [saved] },
    })
    parley.emit('login.finished', loginFinished())
    await settle()
    const actions = () => wrapper.findAll('.admin-content .actions button').map((b) => b.text())
    expect(actions()).toContain('Save')
    expect(actions()).not.toContain('Delete')
    await field(wrapper, 'Name').setValue('Coffee DMs')
    await button(wrapper, 'Save').trigger('click')
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(router.currentRoute.value.name).toBe('integration')
    expect(router.currentRoute.value.params.id).toBe('int-1')
    expect(wrapper.find('.admin-content h2').text()).toBe('Coffee DMs')
    expect(wrapper.find('[role="status"]').text()).toContain('The integration “Coffee DMs” was saved.')
    expect(button(wrapper, 'Delete').exists()).toBe(true)
    expect(wrapper.find('.panel .actions').text()).toBe('Delete')
    expect(buttons(wrapper, 'Instagram Login')).toHaveLength(0)
    expect(parley.inputsOf('integrations.create')).toHaveLength(1)
  })
})

describe('S10: the Facebook session ends with the page', () => {
  it('Cancel while waiting ends the login', async () => {
    const { wrapper, parley } = await startLogin()
    await button(wrapper, 'Cancel').trigger('click')
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(buttons(wrapper, 'Instagram Login')).toHaveLength(1)
    expect(document.activeElement?.textContent?.trim()).toBe('Instagram Login')
  })

  it('Cancel after logging in ends the login and goes back to Platforms', async () => {
    const { wrapper, parley, router } = await startLogin()
    parley.emit('login.finished', loginFinished())
    await settle()
    await button(wrapper, 'Cancel').trigger('click')
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
    expect(router.currentRoute.value.name).toBe('platforms')
  })

  it('leaving the page for another route ends the login', async () => {
    const { wrapper, parley, router } = await startLogin()
    parley.emit('login.finished', loginFinished())
    await settle()
    await wrapper.find('a[href="#/inbox"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('inbox')
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
  })

  it('closing or reloading the window (pagehide) ends the login', async () => {
    const { parley } = await startLogin()
    window.dispatchEvent(new Event('pagehide'))
    await settle()
    expect(parley.inputsOf('login.end')).toEqual([{ loginId: 'login-1' }])
  })

  it('no login held, nothing to end', async () => {
    const { wrapper, parley, router } = await mountWithParley(App, { path: NEW, transport: 'ipc' })
    await button(wrapper, 'Cancel').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('platforms')
    expect(parley.inputsOf('login.end')).toEqual([])
  })
})

describe('the browser host’s popup', () => {
  it('opens the popup inside the click, then sends it to Facebook', async () => {
    const popup = { closed: false, location: { href: 'about:blank' }, close: vi.fn() }
    const open = vi.spyOn(window, 'open').mockImplementation(() => popup as unknown as Window)
    const { wrapper, parley } = await mountWithParley(App, {
      path: NEW,
      transport: 'websocket',
      script: { 'login.start': () => ({ loginId: 'login-1', popupUrl: 'http://127.0.0.1:9999/v25.0/dialog/oauth?state=x' }) },
    })
    await button(wrapper, 'Instagram Direct').trigger('click')
    await settle()
    const click = button(wrapper, 'Instagram Login').trigger('click')
    // Synchronously, before main has answered: otherwise the browser blocks it.
    expect(open).toHaveBeenCalledWith('', 'parley-facebook-login', 'popup,width=620,height=720')
    await click
    await settle()
    expect(popup.location.href).toBe('http://127.0.0.1:9999/v25.0/dialog/oauth?state=x')
    expect(wrapper.text()).toContain('Log in in the Facebook popup window.')
    parley.emit('login.finished', loginFinished())
    await settle()
    // It closes itself after Facebook's logout; closing it now would keep the session alive (S10).
    expect(popup.close).not.toHaveBeenCalled()
    await button(wrapper, 'Cancel').trigger('click')
    await settle()
    expect(popup.close).toHaveBeenCalled()
  })

  it('offers a link when the popup was blocked', async () => {
    vi.spyOn(window, 'open').mockImplementation(() => null)
    const { wrapper } = await mountWithParley(App, {
      path: NEW,
      transport: 'websocket',
      script: { 'login.start': () => ({ loginId: 'login-1', popupUrl: 'http://127.0.0.1:9999/dialog' }) },
    })
    await button(wrapper, 'Instagram Direct').trigger('click')
    await settle()
    await button(wrapper, 'Instagram Login').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('Your browser blocked the Facebook login window.')
    const link = wrapper.findAll('a').find((a) => a.text() === 'Open the Facebook login')!
    expect(link.attributes('href')).toBe('http://127.0.0.1:9999/dialog')
    expect(link.attributes('target')).toBe('parley-facebook-login')
  })
})
