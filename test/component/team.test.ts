// The window on a Parley server (P2, P3, P5): how it starts, Sign in, the person's menu, People,
// the inbox's scope and assignee, Assign to… — against a scripted main that validates every input
// and answer with the contract's own schemas.
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { rememberSessionEnded, startUp } from '../../src-renderer/src/api/startup.ts'
import { createParleyI18n } from '../../src-renderer/src/i18n/index.ts'
import SignInView from '../../src-renderer/src/signIn/SignInView.vue'
import { createApiClient } from '../../src-renderer/src/api/client.ts'
import { INTEGRATION_PERMISSION, ParleyError, type ConversationView, type PersonView } from '../../src-main/core/contract/index.ts'
import { conversation, thread, threadRouting } from './inboxFixtures.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { createScriptedParley, type Script } from './scriptedParley.ts'

const anna = { id: 'p-anna', name: 'Anna Berg', username: 'anna' }
const supervisorOnServer: Script = {
  'session.get': () => ({ profile: 'supervisor', permissions: [INTEGRATION_PERMISSION], person: anna, team: true }),
}
const agentOnServer: Script = {
  'session.get': () => ({ profile: 'agent', permissions: [], person: { id: 'p-ben', name: 'Ben Kraus', username: 'ben' }, team: true }),
}
const person = (id: string, name: string, role: PersonView['role'], active = true): PersonView => ({ id, username: name.split(' ')[0]!.toLowerCase(), name, role, messageCapacity: 4, active, createdAt: '2026-12-01T09:00:00.000Z' })

let reload: ReturnType<typeof vi.fn>
beforeEach(() => {
  reload = vi.fn()
  Object.defineProperty(window, 'location', { configurable: true, value: { ...window.location, reload, search: '', hash: '' } })
  sessionStorage.clear()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('how the window starts', () => {
  const fakeWindow = (options: { parley?: unknown; search?: string; session?: number | null }) =>
    ({
      parley: options.parley,
      location: { search: options.search ?? '', protocol: 'http:', host: 'parley.test' },
      sessionStorage,
      fetch: vi.fn(async () => (options.session === null ? Promise.reject(new Error('offline')) : new Response('{}', { status: options.session ?? 200 }))),
    }) as unknown as Window

  it('in a browser without a session: Sign in, after asking the server that served it', async () => {
    const win = fakeWindow({ session: 401 })
    rememberSessionEnded('deactivated')
    expect(await startUp(win)).toMatchObject({ kind: 'signIn', desktop: false, reason: 'deactivated' })
    expect(win.fetch).toHaveBeenCalledWith('/auth/session', expect.objectContaining({ credentials: 'same-origin' }))
    // The reason is said once.
    expect(await startUp(win)).toMatchObject({ kind: 'signIn', reason: null })
  })

  it('this computer’s browser host (?key=) starts at once, asking nothing first', async () => {
    const win = fakeWindow({ search: '?key=abc' })
    Object.assign(globalThis, { WebSocket: class { addEventListener() {} readyState = 0 } })
    expect((await startUp(win)).kind).toBe('app')
    expect(win.fetch).not.toHaveBeenCalled()
  })

  it('the desktop app signed out of its server: Sign in with the server’s address', async () => {
    const parley = createScriptedParley({ 'connection.get': () => ({ mode: 'team', serverUrl: 'https://parley.example.com', signedIn: false, canChoose: true }) })
    expect(await startUp(fakeWindow({ parley: parley.bridge }))).toMatchObject({ kind: 'signIn', desktop: true, view: { serverUrl: 'https://parley.example.com' } })
  })
})

describe('Sign in to Parley', () => {
  it('in a browser asks for Username and Password, shows the server’s one message, and starts again once signed in', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ code: 'sign_in_failed', message: 'The username or password is not right.' }), { status: 401 }))
    vi.stubGlobal('fetch', fetch)
    const wrapper = mount(SignInView, { props: { desktop: null, view: null, reason: 'expired' }, global: { plugins: [createParleyI18n('en')] }, attachTo: document.body })
    expect(wrapper.find('h1').text()).toBe('Sign in to Parley')
    expect(wrapper.find('[data-session-ended]').text()).toBe('Your session ended after a while without use. Sign in again.')
    expect(wrapper.findAll('label').map((l) => l.text())).toEqual(['Username', 'Password'])
    await button(wrapper, 'Sign in').trigger('submit')
    expect(wrapper.find('[role="alert"]').text()).toBe('Enter your username and password.')
    await field(wrapper, 'Username').setValue('anna')
    await field(wrapper, 'Password').setValue('wrong-password')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(fetch).toHaveBeenCalledWith('/auth/sign-in', expect.objectContaining({ method: 'POST', body: JSON.stringify({ username: 'anna', password: 'wrong-password' }) }))
    expect(wrapper.find('[role="alert"]').text()).toBe('The username or password is not right.')
    expect((field(wrapper, 'Password').element as HTMLInputElement).value).toBe('')
    fetch.mockResolvedValueOnce(new Response(JSON.stringify({ person: anna }), { status: 200 }))
    await field(wrapper, 'Password').setValue('the-right-password')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.emitted('done')).toHaveLength(1)
    vi.unstubAllGlobals()
  })

  it('in the desktop app also asks for the Server address, offers This computer only, and signs in through main', async () => {
    const parley = createScriptedParley({
      'connection.signIn': ({ serverUrl }) => ({ mode: 'team', serverUrl, signedIn: true, canChoose: true }),
      'connection.useThisComputer': () => ({ mode: 'workstation', serverUrl: 'https://parley.example.com', signedIn: true, canChoose: true }),
    })
    const desktop = { api: createApiClient(parley.bridge), transport: 'ipc' as const, onConnection: () => () => {} }
    const wrapper = mount(SignInView, {
      props: { desktop, view: { mode: 'team', serverUrl: 'https://parley.example.com', signedIn: false, canChoose: true }, reason: null },
      global: { plugins: [createParleyI18n('de')] },
      attachTo: document.body,
    })
    expect(wrapper.find('h1').text()).toBe('Bei Parley anmelden')
    expect((field(wrapper, 'Serveradresse').element as HTMLInputElement).value).toBe('https://parley.example.com')
    await field(wrapper, 'Benutzername').setValue('anna')
    await field(wrapper, 'Passwort').setValue('the-right-password')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('connection.signIn')).toEqual([{ serverUrl: 'https://parley.example.com', username: 'anna', password: 'the-right-password' }])
    expect(wrapper.emitted('done')).toHaveLength(1)

    await wrapper.find('input[value="workstation"]').setValue(true)
    expect(wrapper.findAll('label').map((l) => l.text())).not.toContain('Benutzername')
    await button(wrapper, 'Nur diesen Computer verwenden').trigger('submit')
    await settle()
    expect(parley.calls.map((c) => c.name)).toContain('connection.useThisComputer')
  })

  it('names a wrong server address the way main does', async () => {
    const parley = createScriptedParley({})
    const desktop = { api: createApiClient(parley.bridge), transport: 'ipc' as const, onConnection: () => () => {} }
    const wrapper = mount(SignInView, { props: { desktop, view: { mode: 'team', serverUrl: null, signedIn: false, canChoose: true }, reason: null }, global: { plugins: [createParleyI18n('en')] }, attachTo: document.body })
    await field(wrapper, 'Server address').setValue('http://parley.example.com')
    await field(wrapper, 'Username').setValue('anna')
    await field(wrapper, 'Password').setValue('the-right-password')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('Use an https:// address (http:// only for 127.0.0.1 and localhost).')
  })
})

describe('the person’s menu', () => {
  it('signs out on a Parley server; when the session ends the window goes back to Sign in, saying why', async () => {
    const { wrapper, parley } = await mountWithParley(App, { script: { ...supervisorOnServer, 'session.signOut': () => ({ ok: true }) } })
    const menuButton = button(wrapper, 'Account menu of Anna Berg')
    expect(menuButton.attributes('aria-expanded')).toBe('false')
    await menuButton.trigger('keydown', { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toBe('Sign out')
    await button(wrapper, 'Sign out').trigger('click')
    await settle()
    expect(parley.calls.map((c) => c.name)).toContain('session.signOut')
    parley.emit('session.ended', { reason: 'signed_out' })
    await settle()
    expect(sessionStorage.getItem('parley.sessionEnded')).toBe('signed_out')
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('is not there on a single workstation in a browser', async () => {
    const { wrapper } = await mountWithParley(App)
    expect(buttons(wrapper, 'Account menu of Local user')).toHaveLength(0)
  })

  it('offers Connection… in the desktop app, also on a workstation', async () => {
    const { wrapper, router } = await mountWithParley(App, {
      transport: 'ipc',
      script: { 'connection.get': () => ({ mode: 'workstation', serverUrl: null, signedIn: true, canChoose: true }) },
    })
    await button(wrapper, 'Account menu of Local user').trigger('click')
    expect(buttons(wrapper, 'Sign out')).toHaveLength(0)
    await button(wrapper, 'Connection…').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('connection')
    expect(wrapper.find('legend').text()).toBe('Where Parley works')
  })
})

describe('Admin → People (P2)', () => {
  const team = () => [person('p-anna', 'Anna Berg', 'supervisor'), person('p-ben', 'Ben Kraus', 'agent'), person('p-cem', 'Cem Yilmaz', 'agent', false)]

  it('lists the people, adds one with main’s checks, resets a password and deactivates after a warning', async () => {
    let people = team()
    const { wrapper, parley, router } = await mountWithParley(App, {
      script: {
        ...supervisorOnServer,
        'people.list': () => people,
        'people.add': (input) => {
          if (input.username === 'ben') throw new ParleyError('username_taken', 'The username "ben" is already taken.')
          const added = { ...person('p-dora', input.name, input.role), username: input.username, messageCapacity: input.messageCapacity }
          people = [...people, added]
          return added
        },
        'people.resetPassword': () => ({ ok: true }),
        'people.deactivate': ({ id }) => ({ ...people.find((p) => p.id === id)!, active: false }),
      },
    })
    await router.push('/admin')
    await settle()
    expect(wrapper.findAll('nav[aria-label="Admin sections"] a').map((a) => a.text())).toEqual(['Platforms', 'Supported content', 'Message routing', 'Queues', 'Queue activity', 'People', 'API keys', 'Event subscriptions', 'Diagnostics'])
    await router.push('/admin/team/people')
    await settle()
    expect(wrapper.findAll('tbody tr').map((r) => r.findAll('th, td').slice(0, 5).map((c) => c.text()))).toEqual([
      ['Anna Berg (you)', 'anna', 'Supervisor', '4', 'Active'],
      ['Ben Kraus', 'ben', 'Agent', '4', 'Active'],
      ['Cem Yilmaz', 'cem', 'Agent', '4', 'Deactivated'],
    ])

    await button(wrapper, 'Add person').trigger('click')
    await field(wrapper, 'Name').setValue('Dora Weiss')
    await field(wrapper, 'Username').setValue('ben')
    await field(wrapper, 'Password').setValue('short')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('.field-error').text()).toBe('At least 10 characters. The person can be told it; Parley never shows it again.')
    await field(wrapper, 'Password').setValue('long-enough-password')
    await field(wrapper, 'Message capacity').setValue('6')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('This username is already taken. Choose another one.')
    await field(wrapper, 'Username').setValue('dora')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('people.add').at(-1)).toEqual({ name: 'Dora Weiss', username: 'dora', role: 'agent', messageCapacity: 6, password: 'long-enough-password' })
    expect(wrapper.find('[role="status"].outcome').text()).toBe('Dora Weiss was added.')

    await button(wrapper, 'Reset password: Ben Kraus').trigger('click')
    await field(wrapper, 'New password').setValue('a-new-password-for-ben')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('people.resetPassword')).toEqual([{ id: 'p-ben', password: 'a-new-password-for-ben' }])

    await button(wrapper, 'Deactivate: Ben Kraus').trigger('click')
    await settle()
    expect(document.querySelector('dialog')?.textContent).toContain('Ben Kraus is signed out at once, on every device')
    expect(parley.calls.map((c) => c.name)).not.toContain('people.deactivate')
    ;(document.querySelector('dialog .button--danger') as HTMLButtonElement).click()
    await settle()
    expect(parley.inputsOf('people.deactivate')).toEqual([{ id: 'p-ben' }])
  })

  it('is not offered to an agent, nor on a single workstation', async () => {
    const agent = await mountWithParley(App, { script: agentOnServer })
    expect(agent.wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).not.toContain('Admin')
    await agent.router.push('/admin/team/people')
    await settle()
    expect(agent.router.currentRoute.value.name).toBe('inbox')
    document.body.innerHTML = ''
    const workstation = await mountWithParley(App, { path: '/admin' })
    expect(workstation.wrapper.findAll('nav[aria-label="Admin sections"] a').map((a) => a.text())).toEqual(['Platforms', 'Supported content', 'Message routing', 'Queues', 'Queue activity', 'Diagnostics'])
  })
})

describe('the inbox on a Parley server (P5)', () => {
  const rows = (): ConversationView[] => [
    { ...conversation(1), assignedTo: { id: 'p-ben', name: 'Ben Kraus' } },
    { ...conversation(2), assignedTo: null },
  ]

  it('lets a supervisor see all, the unassigned or their own, and says who holds each', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      script: { ...supervisorOnServer, 'inbox.list': ({ view }) => ({ items: view === 'unassigned' ? rows().slice(1) : rows(), nextCursor: null, total: view === 'unassigned' ? 1 : 2 }) },
    })
    await settle()
    expect(wrapper.findAll('[data-assignee]').map((e) => e.text())).toEqual(['With Ben Kraus', 'Unassigned'])
    expect(button(wrapper, 'All').attributes('aria-pressed')).toBe('true')
    await button(wrapper, 'Unassigned').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.list').at(-1)).toMatchObject({ view: 'unassigned' })
    expect(wrapper.findAll('[data-assignee]').map((e) => e.text())).toEqual(['Unassigned'])
    expect(button(wrapper, 'Unassigned').attributes('aria-pressed')).toBe('true')
  })

  it('shows an agent no scope switch', async () => {
    const { wrapper } = await mountWithParley(App, { script: { ...agentOnServer, 'inbox.list': () => ({ items: [rows()[0]!], nextCursor: null, total: 1 }) } })
    await settle()
    expect(buttons(wrapper, 'Unassigned')).toHaveLength(0)
    expect(wrapper.findAll('[data-assignee]').map((e) => e.text())).toEqual(['With Ben Kraus'])
  })

  it('lets a supervisor assign the open conversation to a person, or back to its queue', async () => {
    const unassigned = { ...conversation(2), assignedTo: null }
    const { wrapper, parley, router } = await mountWithParley(App, {
      script: {
        ...supervisorOnServer,
        'inbox.list': () => ({ items: [unassigned], nextCursor: null, total: 1 }),
        'inbox.thread': () => thread({ conversation: unassigned, routing: threadRouting({ state: 'waiting', history: [] }) }),
        'inbox.markRead': () => ({ ok: true }),
        'people.list': () => [person('p-anna', 'Anna Berg', 'supervisor'), person('p-ben', 'Ben Kraus', 'agent'), person('p-cem', 'Cem Yilmaz', 'agent', false)],
        'inbox.assign': ({ personId }) => ({ ...unassigned, assignedTo: personId ? { id: personId, name: 'Ben Kraus' } : null }),
      },
    })
    await router.push(`/inbox/${unassigned.id}`)
    await settle()
    const select = field<HTMLSelectElement>(wrapper, 'Assign to…')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Unassigned (back to the queue)', 'Anna Berg (Supervisor)', 'Ben Kraus (Agent)'])
    await select.setValue('p-ben')
    await wrapper.find('form.assign').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.assign')).toEqual([{ conversationId: unassigned.id, personId: 'p-ben' }])
    expect(wrapper.find('form.assign [role="status"]').text()).toBe('Assigned to Ben Kraus.')
    expect(wrapper.find('[data-assignee]').text()).toBe('With Ben Kraus')
  })
})
