// The agent's side of routing (R2–R5): presence and Auto-answer in the status bar, "New conversation"
// with Accept and Decline, the thread's routing steps, Transfer and End conversation with its
// wrap-up code, and the list's Waiting / Ended badges — against a scripted main that validates every
// input and answer with the contract's own schemas.
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import type { AlertView, PresenceView } from '../../src-main/core/contract/index.ts'
import { conversation, DONE, inboxOf, inFuture, inPast, message, MINUTE, thread, threadRouting, threadScript } from './inboxFixtures.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field, texts } from './queries.ts'

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

// Not "local": the real core behind the script announces its own workstation person's presence.
const presence = (overrides: Partial<PresenceView> = {}): PresenceView => ({ personId: 'p-me', presence: 'on_queue', since: inPast(MINUTE), autoAnswer: false, ...overrides })
const alert = (overrides: Partial<AlertView> = {}): AlertView => ({
  conversationId: 'c-7',
  customer: 'Lea Hoffmann',
  queueName: 'Support',
  firstMessage: 'Where is my order?',
  offeredAt: inPast(0),
  expiresAt: inFuture(30_000),
  ...overrides,
})

describe('presence (R2)', () => {
  it('shows the person’s presence and changes it; Parley’s Not responding is shown with what to do', async () => {
    let mine = presence()
    const { wrapper, parley } = await mountWithParley(App, {
      script: {
        'presence.get': () => mine,
        'presence.set': ({ presence: chosen }) => (mine = { ...mine, presence: chosen }),
        'presence.setAutoAnswer': ({ on }) => (mine = { ...mine, autoAnswer: on }),
      },
    })
    const select = field<HTMLSelectElement>(wrapper, 'Presence:')
    expect(select.element.value).toBe('on_queue')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['On queue', 'Available', 'Busy', 'Away', 'Break', 'Offline'])

    await select.setValue('break')
    await settle()
    expect(parley.inputsOf('presence.set')).toEqual([{ presence: 'break' }])
    expect(select.element.value).toBe('break')

    await field(wrapper, 'Auto-answer').setValue(true)
    await settle()
    expect(parley.inputsOf('presence.setAutoAnswer')).toEqual([{ on: true }])

    // Another agent's change (supervisors hear them all) leaves this one's alone.
    parley.emit('presence.changed', presence({ personId: 'p-other', presence: 'away' }))
    await settle()
    expect(select.element.value).toBe('break')

    parley.emit('presence.changed', presence({ presence: 'not_responding' }))
    await settle()
    expect(select.element.value).toBe('not_responding')
    expect(select.find('option[value="not_responding"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('.presence-hint').text()).toBe('An alert went unanswered. Choose a presence to receive conversations again.')
  })

  it('says so when main refuses a change', async () => {
    const { wrapper } = await mountWithParley(App, {
      script: {
        'presence.get': () => presence(),
        'presence.set': () => {
          throw Object.assign(new Error('x'), { code: 'forbidden', message: 'Not allowed.' })
        },
      },
    })
    await field<HTMLSelectElement>(wrapper, 'Presence:').setValue('away')
    await settle()
    expect(wrapper.find('.presence [role="alert"]').text()).toMatch(/^The presence could not be changed: /)
  })

  it('is in German for a German window', async () => {
    const { wrapper } = await mountWithParley(App, { locale: 'de', script: { 'presence.get': () => presence({ presence: 'not_responding' }) } })
    const select = field<HTMLSelectElement>(wrapper, 'Anwesenheit:')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Reagiert nicht', 'In Warteschlange', 'Verfügbar', 'Beschäftigt', 'Abwesend', 'Pause', 'Offline'])
    expect(field(wrapper, 'Automatisch annehmen').exists()).toBe(true)
  })
})

describe('alerts (R3)', () => {
  it('offer a new conversation with customer, queue, first message and a countdown; Accept opens it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    const { wrapper, parley, router } = await mountWithParley(App, {
      script: threadScript(thread({ conversation: conversation(7) }), {
        'routing.accept': ({ conversationId }) => conversation(7, { id: conversationId, assignedTo: { id: 'local', name: 'Local user' } }),
      }),
    })
    parley.emit('routing.alerts', [alert()])
    await settle()
    const region = wrapper.find('section[aria-label="New conversations"]')
    expect(region.find('h2').text()).toBe('New conversation: Lea Hoffmann')
    expect(region.text()).toContain('Queue: Support')
    expect(region.text()).toContain('Where is my order?')
    expect(region.find('[data-time-left]').text()).toBe('30 s left to accept')

    vi.advanceTimersByTime(12_000)
    await settle()
    expect(region.find('[data-time-left]').text()).toBe('18 s left to accept')

    await button(region, 'Accept').trigger('click')
    await settle()
    expect(parley.inputsOf('routing.accept')).toEqual([{ conversationId: 'c-7' }])
    expect(router.currentRoute.value.path).toBe('/inbox/c-7')
    expect(wrapper.find('section[aria-label="New conversations"]').exists()).toBe(false)
  })

  it('Decline answers main and the alert goes; a list without it (taken elsewhere, timed out) removes it too', async () => {
    const { wrapper, parley } = await mountWithParley(App, { script: { 'routing.decline': () => DONE } })
    parley.emit('routing.alerts', [alert(), alert({ conversationId: 'c-8', customer: 'Jonas', firstMessage: null })])
    await settle()
    expect(texts(wrapper, '.routing-alert h2')).toEqual(['New conversation: Lea Hoffmann', 'New conversation: Jonas'])
    expect(wrapper.findAll('.routing-alert')[1]!.text()).toContain('A photo, video or story')

    await button(wrapper.findAll('.routing-alert')[0]!, 'Decline').trigger('click')
    await settle()
    expect(parley.inputsOf('routing.decline')).toEqual([{ conversationId: 'c-7' }])
    expect(texts(wrapper, '.routing-alert h2')).toEqual(['New conversation: Jonas'])

    parley.emit('routing.alerts', [])
    await settle()
    expect(wrapper.findAll('.routing-alert')).toHaveLength(0)
  })

  it('show main’s refusal when the alert was already gone', async () => {
    const { wrapper, parley } = await mountWithParley(App, {
      script: {
        'routing.accept': () => {
          throw Object.assign(new Error('x'), { code: 'routing.no_alert', message: 'This conversation is no longer offered to you.' })
        },
      },
    })
    parley.emit('routing.alerts', [alert()])
    await settle()
    await button(wrapper, 'Accept').trigger('click')
    await settle()
    expect(wrapper.find('.routing-alerts [role="alert"]').text()).toMatch(/^The alert could not be answered: /)
  })
})

describe('a conversation’s routing in its thread (R4, R5, history)', () => {
  const history = [
    { id: '1', at: inPast(30 * MINUTE), kind: 'routed', queueName: 'Support', personName: null, byName: null, wrapUpCode: null, automatic: false },
    { id: '2', at: inPast(29 * MINUTE), kind: 'alerted', queueName: null, personName: 'Anna Berg', byName: null, wrapUpCode: null, automatic: false },
    { id: '3', at: inPast(28 * MINUTE), kind: 'not_responding', queueName: null, personName: 'Anna Berg', byName: null, wrapUpCode: null, automatic: false },
    { id: '4', at: inPast(27 * MINUTE), kind: 'accepted', queueName: null, personName: 'Local user', byName: null, wrapUpCode: null, automatic: true },
    { id: '5', at: inPast(5 * MINUTE), kind: 'transferred_to_queue', queueName: 'Billing', personName: null, byName: 'Local user', wrapUpCode: null, automatic: false },
  ] as const

  it('shows every routing step as a line among the messages, in time order', async () => {
    const first = message({ text: 'Hello', createdAt: inPast(31 * MINUTE) })
    const later = message({ text: 'Still there?', createdAt: inPast(10 * MINUTE) })
    const view = thread({ messages: [first, later], routing: threadRouting({ history: [...history] }) })
    const { wrapper } = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(view) })
    const items = wrapper.findAll('ol.messages > li').map((li) => (li.classes('routing-line') ? li.find('span').text() : `message: ${li.find('.bubble').text().includes('Hello') ? 'Hello' : 'Still there?'}`))
    expect(items).toEqual([
      'message: Hello',
      'Routed to queue Support',
      'Alerted Anna Berg',
      'Not responding: Anna Berg',
      'Accepted by Local user (Auto-answer)',
      'message: Still there?',
      'Transferred to queue Billing — by Local user',
    ])
    expect(wrapper.find('[data-routing-state]').text()).toBe('Queue Support')
  })

  it('End conversation asks for the wrap-up code the queue requires, and ends with it', async () => {
    const view = thread({ conversation: conversation(1, { assignedTo: { id: 'local', name: 'Local user' } }), routing: threadRouting({ queue: { id: 'q', name: 'Support', afterWork: 'mandatory', wrapUpCodes: ['Resolved', 'Spam'] } }) })
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(view, { 'inbox.end': ({ conversationId }) => conversation(1, { id: conversationId, routing: 'ended' }) }),
    })
    await button(wrapper, 'End conversation').trigger('click')
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.find('h2').text()).toBe('End the conversation')
    const code = field<HTMLSelectElement>(dialog, 'Wrap-up code')
    expect(code.findAll('option').map((o) => o.text())).toEqual(['Choose…', 'Resolved', 'Spam'])
    expect(dialog.text()).toContain('This queue requires a wrap-up code.')

    await dialog.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.end')).toEqual([])
    expect(dialog.find('[role="alert"]').text()).toBe('This queue requires a wrap-up code.')

    await code.setValue('Resolved')
    await dialog.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.end')).toEqual([{ conversationId: 'c-1', wrapUpCode: 'Resolved' }])
    expect(wrapper.find('dialog[open]').exists()).toBe(false)
    expect(wrapper.find('.thread-routing [role="status"]').text()).toBe('The conversation has ended.')
  })

  it('End conversation without codes ends at once with none; an ended conversation offers neither action', async () => {
    const view = thread({ conversation: conversation(1, { assignedTo: { id: 'local', name: 'Local user' } }), routing: threadRouting({ queue: { id: 'q', name: 'Support', afterWork: 'none', wrapUpCodes: [] } }) })
    const { wrapper, parley } = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(view, { 'inbox.end': () => conversation(1, { routing: 'ended' }) }) })
    await button(wrapper, 'End conversation').trigger('click')
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.find('select').exists()).toBe(false)
    await dialog.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.end')).toEqual([{ conversationId: 'c-1', wrapUpCode: null }])

    const ended = thread({ routing: threadRouting({ state: 'ended', wrapUpCode: 'Resolved' }) })
    const other = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(ended) })
    expect(other.wrapper.find('[data-routing-state]').text()).toBe('Ended: Resolved')
    expect(buttons(other.wrapper, 'Transfer')).toHaveLength(0)
    expect(buttons(other.wrapper, 'End conversation')).toHaveLength(0)
  })

  it('Transfer sends the conversation blindly to a queue or a person and returns an agent to the inbox', async () => {
    const view = thread({ conversation: conversation(1, { assignedTo: { id: 'p-ben', name: 'Ben Kraus' } }) })
    const { wrapper, parley, router } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(view, {
        'session.get': () => ({ profile: 'agent', permissions: [], person: { id: 'p-ben', name: 'Ben Kraus', username: 'ben' }, team: true }),
        'routing.transferTargets': () => ({
          queues: [{ id: 'q-support', name: 'Support' }, { id: 'q-billing', name: 'Billing' }],
          people: [{ id: 'p-ben', name: 'Ben Kraus', presence: 'on_queue' }, { id: 'p-anna', name: 'Anna Berg', presence: 'available' }],
        }),
        'inbox.transfer': () => DONE,
      }),
    })
    await button(wrapper, 'Transfer').trigger('click')
    await settle()
    let dialog = wrapper.find('dialog[open]')
    expect(field<HTMLSelectElement>(dialog, 'Queue').findAll('option').map((o) => o.text())).toEqual(['Choose…', 'Support', 'Billing'])
    await field(dialog, 'To a person').setValue(true)
    // The person holding it is not offered to themselves.
    expect(field<HTMLSelectElement>(dialog, 'Person').findAll('option').map((o) => o.text())).toEqual(['Choose…', 'Anna Berg (Available)'])
    await field(dialog, 'To a queue').setValue(true)
    await field<HTMLSelectElement>(dialog, 'Queue').setValue('q-billing')
    await dialog.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.transfer')).toEqual([{ conversationId: 'c-1', to: { queueId: 'q-billing' } }])
    expect(router.currentRoute.value.path).toBe('/inbox')
    dialog = wrapper.find('dialog[open]')
    expect(dialog.exists()).toBe(false)
  })

  it('an agent sees no Transfer or End on a conversation someone else holds', async () => {
    const view = thread({ conversation: conversation(1, { assignedTo: { id: 'p-anna', name: 'Anna Berg' } }) })
    const { wrapper } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(view, { 'session.get': () => ({ profile: 'agent', permissions: [], person: { id: 'p-ben', name: 'Ben Kraus', username: 'ben' }, team: true }) }),
    })
    expect(buttons(wrapper, 'Transfer')).toHaveLength(0)
    expect(buttons(wrapper, 'End conversation')).toHaveLength(0)
  })
})

describe('the list (R3, R5)', () => {
  it('marks conversations that wait in their queue and those that ended', async () => {
    const { wrapper } = await mountWithParley(App, {
      script: { 'inbox.list': inboxOf([conversation(0, { routing: 'waiting' }), conversation(1), conversation(2, { routing: 'ended' })]) },
    })
    expect(texts(wrapper, '[data-routing]')).toEqual(['Waiting', 'Ended'])
  })
})
