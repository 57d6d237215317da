// The supervisor's routing screens (R1, R4, R6): Admin → Contact center → Queues and Queue activity,
// Admin → Message → Message routing — against a scripted main that validates every input and answer
// with the contract's own schemas.
import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { INTEGRATION_PERMISSION, ParleyError, type PersonView, type QueueActivityView, type QueueView, type RoutingRules } from '../../src-main/core/contract/index.ts'
import { conversation } from './inboxFixtures.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { agentSession, integration, type Script } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
  vi.useRealTimers()
})

type Root = VueWrapper | DOMWrapper<Element>

const anna = { id: 'p-anna', name: 'Anna Berg', username: 'anna' }
const onServer: Script = { 'session.get': () => ({ profile: 'supervisor', permissions: [INTEGRATION_PERMISSION], person: anna, team: true }) }
const person = (id: string, name: string, active = true): PersonView => ({ id, username: name.split(' ')[0]!.toLowerCase(), name, role: 'agent', messageCapacity: 4, active, createdAt: '2026-12-01T09:00:00.000Z' })
const queue = (overrides: Partial<QueueView> & Pick<QueueView, 'id' | 'name'>): QueueView => ({ memberIds: [], alertTimeoutSeconds: 30, wrapUpCodes: [], afterWork: 'optional', defaultFor: null, ...overrides })
const support = queue({ id: 'default:int-1', name: 'Coffee DMs', memberIds: ['local'], defaultFor: 'int-1' })
const billing = queue({ id: 'q-billing', name: 'Billing', memberIds: ['p-anna', 'p-ben'], alertTimeoutSeconds: 45, wrapUpCodes: ['Paid', 'Refunded'], afterWork: 'mandatory' })

/** The table named `name`, and a cell found as a person finds it: by its row's header and its column's header. */
function table(root: Root, name: string) {
  const found = root.findAll('table').filter((t) => t.attributes('aria-label') === name)
  if (found.length !== 1) throw new Error(`expected one table "${name}", found ${found.length}`)
  const element = found[0]!
  const columns = element.findAll('thead th').map((th) => th.text().trim())
  const rows = () => element.findAll('tbody tr')
  return {
    element,
    columns,
    rowNames: () => rows().map((row) => row.find('th').text().trim()),
    cell(row: string, column: string) {
      const match = rows().find((r) => r.find('th').text().trim().startsWith(row))
      if (!match) throw new Error(`no row "${row}" in ${name}`)
      const index = columns.indexOf(column)
      if (index < 0) throw new Error(`no column "${column}" in ${name}: ${columns.join(' | ')}`)
      return match.findAll('th, td')[index]!.text().trim()
    },
  }
}

/** The labelled group (fieldset) whose legend reads `name`. */
function group(root: Root, name: string) {
  const found = root.findAll('fieldset').filter((f) => f.find('legend').text().trim() === name)
  if (found.length !== 1) throw new Error(`expected one group "${name}", found ${found.length}`)
  return found[0]!
}

/** The form whose heading names it (aria-labelledby). */
function form(root: Root, heading: string) {
  const found = root.findAll('form').filter((f) => document.getElementById(f.attributes('aria-labelledby') ?? '')?.textContent?.trim() === heading)
  if (found.length !== 1) throw new Error(`expected one form "${heading}", found ${found.length}`)
  return found[0]!
}

/** The error shown with a control: what its aria-describedby points at, of class field-error. */
function errorAt(control: DOMWrapper<Element>) {
  const ids = (control.attributes('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids
    .map((id) => document.getElementById(id))
    .filter((e) => e?.classList.contains('field-error'))
    .map((e) => e!.textContent!.trim())
    .join(' ')
}

describe('Admin → Contact center → Queues (R1)', () => {
  async function mountQueues(script: Script = {}, team = true) {
    let queues = [support, billing]
    const mounted = await mountWithParley(App, {
      path: '/admin/contact-center/queues',
      script: {
        ...(team ? onServer : {}),
        'integrations.list': () => [integration()],
        'people.list': () => [person('p-anna', 'Anna Berg'), person('p-ben', 'Ben Kraus'), person('p-cleo', 'Cleo Hahn'), person('p-old', 'Olaf Alt', false)],
        'queues.list': () => queues,
        'queues.create': (input) => {
          const created = queue({ id: 'q-new', ...input })
          queues = [...queues, created]
          return created
        },
        'queues.update': ({ id, ...fields }) => queue({ ...queues.find((q) => q.id === id)!, ...fields, id }),
        ...script,
      },
    })
    return mounted
  }

  it('sits in a Contact center group of the Admin navigation, and lists the queues with their Default queue marked', async () => {
    const { wrapper } = await mountQueues()
    expect(wrapper.find('#admin-group-contact-center').text()).toBe('Contact center')
    expect(wrapper.findAll('nav[aria-label="Admin sections"] [aria-labelledby="admin-group-contact-center"] a').map((a) => a.text())).toEqual(['Queues', 'Queue activity'])
    expect(wrapper.findAll('nav[aria-label="Admin sections"] [aria-labelledby="admin-group-message"] a').map((a) => a.text())).toContain('Message routing')
    expect(wrapper.find('.admin-content h2').text()).toBe('Queues')
    const list = table(wrapper, 'Queues')
    expect(list.columns).toEqual(['Name', 'Members', 'Alert timeout', 'After-conversation work', 'Actions'])
    expect(list.rowNames()).toEqual(['Billing', 'Coffee DMs Default queue of Coffee DMs'])
    expect(list.cell('Billing', 'Members')).toBe('2')
    expect(list.cell('Billing', 'Alert timeout')).toBe('45 s')
    expect(list.cell('Billing', 'After-conversation work')).toBe('Mandatory')
    // A Default queue cannot be deleted while its integration exists.
    expect(buttons(wrapper, 'Delete: Coffee DMs')).toHaveLength(0)
    expect(buttons(wrapper, 'Delete: Billing')).toHaveLength(1)
  })

  it('Add queue sends the name, the members ticked, the alert timeout, wrap-up codes and after-conversation work', async () => {
    const { wrapper, parley } = await mountQueues()
    await button(wrapper, 'Add queue').trigger('click')
    await settle()
    expect(field(wrapper, 'Alert timeout').element.value).toBe('30')
    const members = group(wrapper, 'Members')
    // The team's active people; a deactivated person is not offered for a new queue.
    expect(members.findAll('label').map((l) => l.text())).toEqual(['Anna Berg', 'Ben Kraus', 'Cleo Hahn'])
    await field(wrapper, 'Name').setValue('  Wholesale ')
    await field(members, 'Ben Kraus').setValue(true)
    await field(members, 'Cleo Hahn').setValue(true)
    await field(wrapper, 'Alert timeout').setValue('60')
    await field(wrapper, 'New wrap-up code').setValue('Order placed')
    await button(wrapper, 'Add wrap-up code').trigger('click')
    await field(wrapper, 'New wrap-up code').setValue('No order')
    await field(wrapper, 'New wrap-up code').trigger('keydown', { key: 'Enter' })
    await field(wrapper, 'New wrap-up code').setValue('Spam')
    await button(wrapper, 'Add wrap-up code').trigger('click')
    await button(wrapper, 'Remove wrap-up code Spam').trigger('click')
    await field(group(wrapper, 'After-conversation work'), 'Mandatory').setValue(true)
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('queues.create')).toEqual([
      { name: 'Wholesale', memberIds: ['p-ben', 'p-cleo'], alertTimeoutSeconds: 60, wrapUpCodes: ['Order placed', 'No order'], afterWork: 'mandatory' },
    ])
    expect(wrapper.find('[role="status"]').text()).toBe('The queue “Wholesale” was added.')
    expect(wrapper.find('form').exists()).toBe(false)
    expect(table(wrapper, 'Queues').rowNames()).toContain('Wholesale')
  })

  it('Edit shows the queue as it is and saves what changed under its id', async () => {
    const { wrapper, parley } = await mountQueues()
    await button(wrapper, 'Edit: Billing').trigger('click')
    await settle()
    expect(wrapper.find('form h3').text()).toBe('Edit queue: Billing')
    expect(field(wrapper, 'Name').element.value).toBe('Billing')
    expect(field(wrapper, 'Alert timeout').element.value).toBe('45')
    expect(field<HTMLInputElement>(group(wrapper, 'Members'), 'Anna Berg').element.checked).toBe(true)
    expect(field<HTMLInputElement>(group(wrapper, 'Members'), 'Cleo Hahn').element.checked).toBe(false)
    expect(group(wrapper, 'Wrap-up codes').findAll('li span').map((s) => s.text())).toEqual(['Paid', 'Refunded'])
    await field(group(wrapper, 'Members'), 'Anna Berg').setValue(false)
    await field(group(wrapper, 'After-conversation work'), 'Optional').setValue(true)
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('queues.update')).toEqual([{ id: 'q-billing', name: 'Billing', memberIds: ['p-ben'], alertTimeoutSeconds: 45, wrapUpCodes: ['Paid', 'Refunded'], afterWork: 'optional' }])
    expect(table(wrapper, 'Queues').cell('Billing', 'After-conversation work')).toBe('Optional')
  })

  it('says what is wrong next to the field: its own checks first, then main’s', async () => {
    const { wrapper, parley } = await mountQueues()
    await button(wrapper, 'Add queue').trigger('click')
    await settle()
    await field(wrapper, 'Name').setValue('Returns')
    await field(wrapper, 'Alert timeout').setValue('5')
    await field(group(wrapper, 'After-conversation work'), 'Mandatory').setValue(true)
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(errorAt(field(wrapper, 'Alert timeout'))).toBe('Use 7 to 900 seconds.')
    expect(field(wrapper, 'Alert timeout').attributes('aria-invalid')).toBe('true')
    expect(errorAt(group(wrapper, 'Wrap-up codes'))).toBe('A queue whose wrap-up is mandatory needs at least one wrap-up code.')
    expect(parley.inputsOf('queues.create')).toEqual([])

    // Main's own zod message, at the field it names.
    await field(wrapper, 'Alert timeout').setValue('30')
    await field(group(wrapper, 'After-conversation work'), 'None').setValue(true)
    await field(wrapper, 'Name').setValue('R'.repeat(101))
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('queues.create')).toHaveLength(1)
    expect(errorAt(field(wrapper, 'Name'))).toBe('Keep the name under 100 characters.')
    expect(errorAt(field(wrapper, 'Alert timeout'))).toBe('')
    expect(wrapper.find('form').exists()).toBe(true)
  })

  it('Delete asks first, and shows main’s refusal plainly', async () => {
    const { wrapper, parley } = await mountQueues({ 'queues.delete': () => Promise.reject(new ParleyError('conflict', 'Conversations are still open in this queue.')) })
    await button(wrapper, 'Delete: Billing').trigger('click')
    await settle()
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('Delete the queue “Billing”?')
    expect(parley.inputsOf('queues.delete')).toEqual([])
    await button(dialog, 'Delete').trigger('click')
    await settle()
    expect(parley.inputsOf('queues.delete')).toEqual([{ id: 'q-billing' }])
    expect(wrapper.find('[role="alert"]').text()).toBe('The queue “Billing” was not deleted: Conversations are still open in this queue.')
    expect(table(wrapper, 'Queues').rowNames()).toContain('Billing')

    parley.script({ 'queues.delete': () => ({ ok: true }) })
    await button(wrapper, 'Delete: Billing').trigger('click')
    await settle()
    await button(wrapper.find('dialog[open]'), 'Delete').trigger('click')
    await settle()
    expect(wrapper.find('[role="status"]').text()).toBe('The queue “Billing” was deleted.')
    expect(table(wrapper, 'Queues').rowNames()).not.toContain('Billing')
  })

  it('follows another supervisor’s changes as main announces them', async () => {
    const { wrapper, parley } = await mountQueues()
    expect(table(wrapper, 'Queues').rowNames()).toEqual(['Billing', 'Coffee DMs Default queue of Coffee DMs'])
    parley.script({ 'queues.list': () => [support, queue({ ...billing, name: 'Billing B2B' }), queue({ id: 'q-wholesale', name: 'Wholesale' })] })
    parley.emit('queues.changed', {})
    await settle()
    expect(table(wrapper, 'Queues').rowNames()).toEqual(['Billing B2B', 'Coffee DMs Default queue of Coffee DMs', 'Wholesale'])
  })

  it('on a workstation the one member to choose is the local user, ticked for a new queue, and no people are asked for', async () => {
    const { wrapper, parley } = await mountQueues({}, false)
    await button(wrapper, 'Add queue').trigger('click')
    await settle()
    const members = group(wrapper, 'Members')
    expect(members.findAll('label').map((l) => l.text())).toEqual(['Local user'])
    expect(field<HTMLInputElement>(members, 'Local user').element.checked).toBe(true)
    await field(wrapper, 'Name').setValue('Support')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('queues.create')).toEqual([{ name: 'Support', memberIds: ['local'], alertTimeoutSeconds: 30, wrapUpCodes: [], afterWork: 'optional' }])
    expect(parley.calls.map((c) => c.name)).not.toContain('people.list')
  })
})

describe('Admin → Message → Message routing (R1, R4)', () => {
  const rulesOf: Record<string, RoutingRules> = {
    'int-1': {
      integrationId: 'int-1',
      defaultQueueId: 'default:int-1',
      rules: [
        { kind: 'contains', keywords: ['invoice', 'refund'], queueId: 'q-billing' },
        { kind: 'sender', usernames: ['vip.customer'], queueId: 'q-vip' },
        { kind: 'attachment', queueId: 'q-billing' },
      ],
    },
    'int-2': { integrationId: 'int-2', defaultQueueId: 'default:int-2', rules: [] },
  }
  const queues = [support, billing, queue({ id: 'q-vip', name: 'VIP' }), queue({ id: 'default:int-2', name: 'Hotel DMs', defaultFor: 'int-2' })]

  async function mountRouting(script: Script = {}) {
    return mountWithParley(App, {
      path: '/admin/message/routing',
      script: {
        'integrations.list': () => [integration(), integration({ id: 'int-2', name: 'Hotel DMs', pageId: 'page-2' })],
        'queues.list': () => queues,
        'routing.rules': ({ integrationId }) => rulesOf[integrationId]!,
        'routing.setRules': (rules) => rules,
        'routing.settings': () => ({ threadingWindowHours: 72 }),
        'routing.setSettings': (settings) => settings,
        ...script,
      },
    })
  }

  const rule = (root: Root, number: number) => group(root, `Rule ${number}`)
  const selected = (control: DOMWrapper<Element>) => {
    const select = control.element as HTMLSelectElement
    return select.selectedOptions[0]?.textContent?.trim()
  }

  it('shows the first integration’s rules in order, each with its condition and queue, then the Default queue', async () => {
    const { wrapper, parley } = await mountRouting()
    expect(wrapper.find('.admin-content h2').text()).toBe('Message routing')
    expect(selected(field(wrapper, 'Integration'))).toBe('Coffee DMs')
    expect(parley.inputsOf('routing.rules')).toEqual([{ integrationId: 'int-1' }])
    expect(selected(field(rule(wrapper, 1), 'Condition'))).toBe('Message contains')
    expect(field(rule(wrapper, 1), 'Keywords').element.value).toBe('invoice, refund')
    expect(selected(field(rule(wrapper, 1), 'Queue'))).toBe('Billing')
    expect(selected(field(rule(wrapper, 2), 'Condition'))).toBe('Sender is')
    expect(field(rule(wrapper, 2), 'Instagram usernames').element.value).toBe('vip.customer')
    expect(selected(field(rule(wrapper, 3), 'Condition'))).toBe('Has an attachment')
    expect(rule(wrapper, 3).findAll('input')).toHaveLength(0)
    expect(selected(field(wrapper, 'Default queue'))).toBe('Coffee DMs')
    expect(field(wrapper, 'Threading window').element.value).toBe('72')
  })

  it('rules are added, moved, removed and saved in their new order, with the Default queue', async () => {
    const { wrapper, parley } = await mountRouting()
    await button(wrapper, 'Move rule 3 up').trigger('click')
    await button(wrapper, 'Move rule 1 down').trigger('click')
    expect(button(wrapper, 'Move rule 1 up').attributes('disabled')).toBeDefined()
    expect(button(wrapper, 'Move rule 3 down').attributes('disabled')).toBeDefined()
    await button(wrapper, 'Add rule').trigger('click')
    await field(rule(wrapper, 4), 'Condition').setValue('sender')
    await field(rule(wrapper, 4), 'Instagram usernames').setValue('@anna.b, mia_k')
    await field(rule(wrapper, 4), 'Queue').setValue('q-vip')
    await button(wrapper, 'Remove rule 3').trigger('click')
    await field(wrapper, 'Default queue').setValue('q-billing')
    await button(form(wrapper, 'Rules of Coffee DMs'), 'Save').trigger('submit')
    await settle()
    expect(parley.inputsOf('routing.setRules')).toEqual([
      {
        integrationId: 'int-1',
        defaultQueueId: 'q-billing',
        rules: [
          { kind: 'attachment', queueId: 'q-billing' },
          { kind: 'contains', keywords: ['invoice', 'refund'], queueId: 'q-billing' },
          { kind: 'sender', usernames: ['@anna.b', 'mia_k'], queueId: 'q-vip' },
        ],
      },
    ])
    expect(wrapper.find('[role="status"]').text()).toBe('The rules of Coffee DMs were saved.')
  })

  it('an empty keyword list is named at its rule, and main’s refusals at the rule they name', async () => {
    const { wrapper, parley } = await mountRouting({
      'routing.setRules': () => Promise.reject(new ParleyError('not_found', 'A queue these rules send to no longer exists.')),
    })
    await field(rule(wrapper, 1), 'Keywords').setValue(' , ')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(errorAt(field(rule(wrapper, 1), 'Keywords'))).toBe('Add at least one entry.')
    expect(parley.inputsOf('routing.setRules')).toEqual([])

    // Main's zod message for an over-long keyword, shown at rule 1.
    await field(rule(wrapper, 1), 'Keywords').setValue('x'.repeat(101))
    await wrapper.find('form').trigger('submit')
    await settle()
    // It reached main, which refused it by the contract's schema.
    expect(parley.calls.filter((c) => c.name === 'routing.setRules')).toHaveLength(1)
    expect(errorAt(rule(wrapper, 1))).toBe('Keep each entry under 100 characters.')

    await field(rule(wrapper, 1), 'Keywords').setValue('invoice')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('The rules were not saved: This no longer exists. It may have been deleted in the meantime.')
  })

  it('choosing another integration shows its rules', async () => {
    const { wrapper, parley } = await mountRouting()
    await field(wrapper, 'Integration').setValue('int-2')
    await settle()
    expect(parley.inputsOf('routing.rules').at(-1)).toEqual({ integrationId: 'int-2' })
    expect(wrapper.text()).toContain('No rules: every conversation goes to the Default queue.')
    expect(selected(field(wrapper, 'Default queue'))).toBe('Hotel DMs')
    expect(form(wrapper, 'Rules of Hotel DMs').exists()).toBe(true)
  })

  it('the threading window is checked and saved on its own', async () => {
    const { wrapper, parley } = await mountRouting()
    const threading = form(wrapper, 'Returning customers')
    await field(wrapper, 'Threading window').setValue('800')
    await threading.trigger('submit')
    await settle()
    expect(errorAt(field(wrapper, 'Threading window'))).toBe('Use 1 to 720 hours.')
    expect(parley.inputsOf('routing.setSettings')).toEqual([])
    await field(wrapper, 'Threading window').setValue('24')
    await button(threading, 'Save').trigger('submit')
    await settle()
    expect(parley.inputsOf('routing.setSettings')).toEqual([{ threadingWindowHours: 24 }])
    expect(parley.inputsOf('routing.setRules')).toEqual([])
    expect(threading.find('[role="status"]').text()).toBe('The threading window was saved.')
  })
})

describe('Admin → Contact center → Queue activity (R6)', () => {
  const at = (seconds: number) => new Date(Date.parse('2026-12-04T10:00:00.000Z') - seconds * 1000).toISOString()
  const activity = (overrides: Partial<QueueActivityView> = {}): QueueActivityView => ({
    queues: [
      { id: 'q-billing', name: 'Billing', waiting: 2, interacting: 1, longestWaitingSince: at(65), agentsOnQueue: 1 },
      { id: 'default:int-1', name: 'Coffee DMs', waiting: 0, interacting: 3, longestWaitingSince: null, agentsOnQueue: 2 },
    ],
    agents: [
      { personId: 'p-anna', name: 'Anna Berg', presence: 'on_queue', presenceSince: at(3725), conversations: 2, capacity: 4 },
      { personId: 'p-ben', name: 'Ben Kraus', presence: 'not_responding', presenceSince: at(12), conversations: 0, capacity: 3 },
    ],
    ...overrides,
  })

  it('shows per queue and per agent what main says, live from its event, with durations that tick', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: Date.parse('2026-12-04T10:00:00.000Z') })
    const { wrapper, parley } = await mountWithParley(App, { path: '/admin/contact-center/activity', script: { ...onServer, 'routing.activity': () => activity(), 'routing.transferTargets': () => ({ queues: [], people: [] }) } })
    expect(wrapper.find('.admin-content h2').text()).toBe('Queue activity')
    const queues = table(wrapper, 'Queues')
    expect(queues.columns).toEqual(['Queue', 'Waiting', 'Interacting', 'Longest waiting', 'Agents on queue'])
    expect(queues.cell('Billing', 'Waiting')).toBe('2')
    expect(queues.cell('Billing', 'Interacting')).toBe('1')
    expect(queues.cell('Billing', 'Longest waiting')).toBe('1:05')
    expect(queues.cell('Billing', 'Agents on queue')).toBe('1')
    expect(queues.cell('Coffee DMs', 'Longest waiting')).toBe('—')
    const agents = table(wrapper, 'Agents')
    expect(agents.columns).toEqual(['Agent', 'Presence', 'Conversations / capacity', 'Time in presence'])
    expect(agents.cell('Anna Berg', 'Presence')).toBe('On queue')
    expect(agents.cell('Anna Berg', 'Conversations / capacity')).toBe('2 / 4')
    expect(agents.cell('Anna Berg', 'Time in presence')).toBe('1:02:05')
    expect(agents.cell('Ben Kraus', 'Presence')).toBe('Not responding')

    // A second later, without asking main again.
    vi.advanceTimersByTime(1000)
    await settle()
    expect(table(wrapper, 'Queues').cell('Billing', 'Longest waiting')).toBe('1:06')
    expect(table(wrapper, 'Agents').cell('Ben Kraus', 'Time in presence')).toBe('0:13')

    // Main's event changes the figures; nothing is polled.
    parley.emit('routing.activity', activity({
      queues: [{ id: 'q-billing', name: 'Billing', waiting: 0, interacting: 3, longestWaitingSince: null, agentsOnQueue: 2 }],
      agents: [{ personId: 'p-ben', name: 'Ben Kraus', presence: 'on_queue', presenceSince: at(0), conversations: 1, capacity: 3 }],
    }))
    await settle()
    expect(table(wrapper, 'Queues').rowNames()).toEqual(['Billing'])
    expect(table(wrapper, 'Queues').cell('Billing', 'Waiting')).toBe('0')
    expect(table(wrapper, 'Queues').cell('Billing', 'Interacting')).toBe('3')
    expect(table(wrapper, 'Queues').cell('Billing', 'Longest waiting')).toBe('—')
    expect(table(wrapper, 'Agents').cell('Ben Kraus', 'Presence')).toBe('On queue')
    expect(table(wrapper, 'Agents').cell('Ben Kraus', 'Conversations / capacity')).toBe('1 / 3')
    expect(table(wrapper, 'Agents').rowNames()).toEqual(['Ben Kraus'])
    vi.advanceTimersByTime(5000)
    await settle()
    expect(parley.calls.filter((c) => c.name === 'routing.activity')).toHaveLength(1)
  })
})

describe('assigning a waiting conversation by hand from Queue activity (R6)', () => {
  it('lists those waiting unassigned, longest first, and assigns one to the person chosen', async () => {
    let waiting = [conversation(1, { routing: 'waiting' }), conversation(2, { routing: 'waiting' })]
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/admin/contact-center/activity',
      script: {
        ...onServer,
        'routing.activity': () => ({ queues: [], agents: [{ personId: 'p-ben', name: 'Ben Kraus', presence: 'on_queue', presenceSince: new Date().toISOString(), conversations: 0, capacity: 4 }] }),
        'routing.transferTargets': () => ({ queues: [], people: [{ id: 'p-anna', name: 'Anna Berg', presence: 'available' }, { id: 'p-ben', name: 'Ben Kraus', presence: 'offline' }] }),
        'inbox.list': ({ view }) => (view === 'unassigned' ? { items: waiting, nextCursor: null, total: waiting.length } : { items: [], nextCursor: null, total: 0 }),
        'inbox.assign': ({ conversationId, personId }) => {
          waiting = waiting.filter((c) => c.id !== conversationId)
          return conversation(Number(conversationId.slice(2)), { routing: 'interacting', assignedTo: { id: personId!, name: 'Ben Kraus' } })
        },
      },
    })
    const list = table(wrapper, 'Waiting conversations')
    expect(list.columns).toEqual(['Customer', 'Integration', 'Last message', 'Assign to'])
    // conversation(2) is older than conversation(1): it has waited longest.
    expect(list.rowNames()).toEqual(['Customer 2', 'Customer 1'])
    expect(list.cell('Customer 1', 'Last message')).toBe('Hello from 1')
    const choose = wrapper.find('select[aria-label="Assign Customer 1 to"]')
    // Presence as Queue activity says it now, not as the targets said it.
    expect(choose.findAll('option').map((o) => o.text())).toEqual(['Choose a person', 'Anna Berg (Available)', 'Ben Kraus (On queue)'])
    expect(button(wrapper, 'Assign Customer 1').attributes('disabled')).toBeDefined()
    await choose.setValue('p-ben')
    await button(wrapper, 'Assign Customer 1').trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.assign')).toEqual([{ conversationId: 'c-1', personId: 'p-ben' }])
    expect(wrapper.find('[role="status"]').text()).toBe('Customer 1 was assigned to Ben Kraus.')
    expect(table(wrapper, 'Waiting conversations').rowNames()).toEqual(['Customer 2'])

    // Main refuses (capacity, presence): said plainly, the row stays.
    parley.script({ 'inbox.assign': () => Promise.reject(new ParleyError('conflict', 'Ben Kraus already holds as many conversations as their message capacity allows.')) })
    await wrapper.find('select[aria-label="Assign Customer 2 to"]').setValue('p-ben')
    await button(wrapper, 'Assign Customer 2').trigger('submit')
    await settle()
    expect(wrapper.find('[role="alert"]').text()).toBe('Customer 2 was not assigned: Ben Kraus already holds as many conversations as their message capacity allows.')
    expect(table(wrapper, 'Waiting conversations').rowNames()).toEqual(['Customer 2'])

    // A new arrival shows with main's next activity event.
    waiting = [...waiting, conversation(3, { routing: 'waiting' })]
    parley.emit('routing.activity', { queues: [], agents: [] })
    await settle()
    expect(table(wrapper, 'Waiting conversations').rowNames()).toEqual(['Customer 3', 'Customer 2'])
  })
})

describe('against Parley’s real core on a workstation', () => {
  it('a queue made in the window is listed, shows in Queue activity with the local user, and the threading window is kept', async () => {
    // Only the session and integrations are scripted: queues, routing and activity are main's own.
    const { wrapper, router, parley } = await mountWithParley(App, { path: '/admin/contact-center/queues' })
    expect(parley.calls.map((c) => c.name)).toContain('queues.list')
    await button(wrapper, 'Add queue').trigger('click')
    await settle()
    await field(wrapper, 'Name').setValue('Support')
    await field(wrapper, 'New wrap-up code').setValue('Resolved')
    await button(wrapper, 'Add wrap-up code').trigger('click')
    await field(group(wrapper, 'After-conversation work'), 'Mandatory').setValue(true)
    await wrapper.find('form').trigger('submit')
    await settle(10)
    expect(wrapper.find('[role="status"]').text()).toBe('The queue “Support” was added.')
    expect(table(wrapper, 'Queues').cell('Support', 'Members')).toBe('1')
    expect(table(wrapper, 'Queues').cell('Support', 'After-conversation work')).toBe('Mandatory')

    await router.push('/admin/contact-center/activity')
    await settle(10)
    expect(table(wrapper, 'Queues').cell('Support', 'Waiting')).toBe('0')
    expect(table(wrapper, 'Agents').rowNames()).toEqual(['Local user'])

    await router.push('/admin/message/routing')
    await settle(10)
    expect(wrapper.text()).toContain('No integrations yet')
    expect(field(wrapper, 'Threading window').element.value).toBe('72')
    await field(wrapper, 'Threading window').setValue('48')
    await form(wrapper, 'Returning customers').trigger('submit')
    await settle(10)
    expect(wrapper.text()).toContain('The threading window was saved.')
    await router.push('/admin/contact-center/queues')
    await router.push('/admin/message/routing')
    await settle(10)
    expect(field(wrapper, 'Threading window').element.value).toBe('48')
  })
})

describe('the routing screens are the supervisor’s', () => {
  it('an agent sees none of them, and their addresses lead to the Inbox without asking main', async () => {
    const { wrapper, router, parley } = await mountWithParley(App, { script: agentSession })
    for (const path of ['/admin/contact-center/queues', '/admin/contact-center/activity', '/admin/message/routing']) {
      await router.push(path)
      await settle()
      expect(router.currentRoute.value.name).toBe('inbox')
    }
    expect(wrapper.text()).not.toContain('Queue activity')
    const asked = parley.calls.map((c) => c.name)
    for (const name of ['queues.list', 'routing.activity', 'routing.rules', 'routing.settings']) expect(asked).not.toContain(name)
  })
})

describe('in German', () => {
  it('Kontaktcenter → Warteschlangen, Warteschlangenaktivität and Nachrichten-Routing', async () => {
    const { wrapper, router } = await mountWithParley(App, {
      locale: 'de',
      path: '/admin/contact-center/queues',
      script: {
        'integrations.list': () => [integration()],
        'queues.list': () => [support, billing],
        'routing.rules': () => ({ integrationId: 'int-1', defaultQueueId: 'default:int-1', rules: [{ kind: 'attachment', queueId: 'q-billing' }] }),
        'routing.settings': () => ({ threadingWindowHours: 72 }),
        'routing.activity': () => ({ queues: [], agents: [{ personId: 'local', name: 'Local user', presence: 'break', presenceSince: new Date().toISOString(), conversations: 0, capacity: 4 }] }),
        'routing.transferTargets': () => ({ queues: [], people: [{ id: 'local', name: 'Local user', presence: 'break' }] }),
      },
    })
    expect(wrapper.find('#admin-group-contact-center').text()).toBe('Kontaktcenter')
    expect(wrapper.findAll('nav[aria-label="Admin-Bereiche"] a').map((a) => a.text())).toEqual(['Plattformen', 'Unterstützte Inhalte', 'Nachrichten-Routing', 'Warteschlangen', 'Warteschlangenaktivität', 'Diagnose'])
    expect(button(wrapper, 'Warteschlange hinzufügen').exists()).toBe(true)
    expect(table(wrapper, 'Warteschlangen').cell('Billing', 'Nachbearbeitung')).toBe('Erforderlich')
    expect(table(wrapper, 'Warteschlangen').rowNames()).toContain('Coffee DMs Standardwarteschlange von Coffee DMs')
    await button(wrapper, 'Bearbeiten: Billing').trigger('click')
    await settle()
    expect(field(wrapper, 'Zeitlimit für Benachrichtigung').element.value).toBe('45')
    expect(group(wrapper, 'Nachbearbeitungscodes').exists()).toBe(true)
    expect(group(wrapper, 'Nachbearbeitung').findAll('label').map((l) => l.text())).toEqual(['Keine', 'Optional', 'Erforderlich'])

    await router.push('/admin/message/routing')
    await settle()
    expect(wrapper.find('.admin-content h2').text()).toBe('Nachrichten-Routing')
    expect(field(group(wrapper, 'Regel 1'), 'Bedingung').findAll('option').map((o) => o.text())).toEqual(['Nachricht enthält', 'Absender ist', 'Hat einen Anhang'])
    expect(field(wrapper, 'Standardwarteschlange').exists()).toBe(true)
    expect(button(wrapper, 'Regel hinzufügen').exists()).toBe(true)

    await router.push('/admin/contact-center/activity')
    await settle()
    expect(table(wrapper, 'Agenten').columns).toEqual(['Agent', 'Präsenz', 'Unterhaltungen / Kapazität', 'Zeit in Präsenz'])
    expect(table(wrapper, 'Agenten').cell('Local user', 'Präsenz')).toBe('Pause')
    expect(wrapper.text()).toContain('Keine Unterhaltung wartet.')
  })
})
