import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { ParleyError, type BundleView, type DiagnosticsReportView, type LogEntryView } from '../../src-main/core/contract/index.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button } from './queries.ts'
import { agentSession, integration } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const PATH = '/admin/troubleshooting/diagnostics'

const report = (): DiagnosticsReportView => ({
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:00:01.000Z',
  mode: 'sandbox',
  checks: [
    { id: 'meta_reachable', title: 'Meta reachable', integrationId: null, verdict: 'ok', ran: true, cause: 'The Meta sandbox answers.', fix: null },
    { id: 'page', title: 'Page and Instagram account — Coffee DMs', integrationId: 'int-1', verdict: 'problem', ran: true, cause: 'The Facebook Page is not published: Instagram messages to it cannot be handled.', fix: 'Publish the Page in its Facebook settings.' },
    { id: 'webhook', title: 'Webhook deliveries — Coffee DMs', integrationId: 'int-1', verdict: 'warning', ran: false, cause: 'Could not run: Meta could not be reached.', fix: 'Run the checks again once the cause is gone.' },
  ],
})

const entries = (): LogEntryView[] => [
  { time: '2026-11-25T09:59:00.000Z', level: 'info', message: 'webhook received', integrations: ['17841401234567801'], details: '{"events":1}', replayable: true },
  { time: '2026-11-25T09:58:00.000Z', level: 'warn', message: 'reply not sent', integrations: [], details: '{"code":"window_closed"}', replayable: false },
]

const bundle = (): BundleView => ({
  createdAt: '2026-11-20T08:00:00.000Z',
  parley: { version: '0.9.0', mode: 'live', engine: 'sqlite' },
  system: { os: 'win32', release: '10.0.22631', arch: 'x64', node: '24.9.0', electron: '45.4.1' },
  integrations: [{ id: 'x', name: 'Elsewhere DMs', instagram: { id: '1', username: 'elsewhere' }, status: 'active' }],
  checks: { ...report(), checks: [{ id: 'clock_skew', title: 'Clock against Meta', integrationId: null, verdict: 'problem', ran: true, cause: 'This computer’s clock is 2 h behind Meta’s.', fix: 'Turn on automatic time (NTP).' }] },
  store: '{"rows":{"messages":12}}',
  log: [{ time: '2026-11-20T07:00:00.000Z', level: 'error', message: 'send failed', integrations: [], details: '', replayable: false }],
})

const script = () => ({
  'integrations.list': () => [integration()],
  'diagnostics.run': report,
  'diagnostics.log': () => entries(),
  'diagnostics.settings': () => ({ includeMessageText: false }),
  'diagnostics.setSettings': ({ includeMessageText }: { includeMessageText: boolean }) => ({ includeMessageText }),
  'diagnostics.exportBundle': () => ({ path: '/home/sam/.config/Parley/bundles/parley-diagnostics-2026.json' }),
  'diagnostics.openBundle': () => bundle(),
  'diagnostics.replay': () => [{ label: 'log 2026-11-25T09:59:00.000Z', ok: true, outcome: 'Delivered: Parley answered 200.', mapped: {} }],
})

async function chooseFile(input: HTMLInputElement, name: string, text: string) {
  Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true })
  input.dispatchEvent(new Event('change'))
  await settle(10)
}

describe('Admin → Diagnostics', () => {
  it('runs every check on opening and shows each verdict with its cause and fix', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PATH, script: script() })
    expect(wrapper.find('#diagnostics-title').text()).toBe('Diagnostics')
    expect(wrapper.find('.admin-nav').text()).toContain('Diagnostics')
    const checks = wrapper.findAll('[aria-label="Checks"] > li')
    expect(checks.map((c) => c.find('[data-verdict-label]').text())).toEqual(['OK', 'Problem', 'Warning · Could not run'])
    expect(checks[1]!.text()).toContain('not published')
    expect(checks[1]!.text()).toContain('Fix: Publish the Page')
    expect(wrapper.text()).toContain('1 OK, 1 warnings, 1 problems')
    await button(wrapper, 'Run checks').trigger('click')
    await settle()
    expect(parley.calls.filter((c) => c.name === 'diagnostics.run')).toHaveLength(2)
  })

  it('shows the event log, filters it by level, integration and time, and turns on Include message text', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PATH, script: script() })
    const rows = wrapper.findAll('table[aria-label="Event log"] tbody tr')
    expect(rows.map((r) => r.findAll('td')[2]!.text())).toEqual(['webhook received', 'reply not sent'])
    expect(rows[1]!.findAll('td')[1]!.text()).toBe('Warning')
    const checkbox = wrapper.find<HTMLInputElement>('input[type="checkbox"]')
    expect(checkbox.element.checked).toBe(false)
    await checkbox.setValue(true)
    await settle()
    expect(parley.inputsOf('diagnostics.setSettings')).toEqual([{ includeMessageText: true }])
    const [levelSelect, integrationSelect] = wrapper.findAll('form.toolbar select')
    await levelSelect!.setValue('warn')
    await integrationSelect!.setValue('int-1')
    await wrapper.find('form.toolbar input[type="datetime-local"]').setValue('2026-11-25T09:00')
    await button(wrapper, 'Filter').trigger('click')
    await settle()
    const query = parley.inputsOf('diagnostics.log').at(-1)!
    expect(query).toMatchObject({ level: 'warn', integrationId: 'int-1', since: new Date('2026-11-25T09:00').toISOString() })
  })

  it('exports a bundle and says where; replays a recorded payload and reports the result', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PATH, script: script() })
    await button(wrapper, 'Export bundle').trigger('click')
    await settle()
    expect(wrapper.find('[role="status"]').text()).toBe('Bundle written to /home/sam/.config/Parley/bundles/parley-diagnostics-2026.json')
    await button(wrapper, 'Replay').trigger('click')
    await settle()
    expect(parley.inputsOf('diagnostics.replay')).toEqual([{ logTimes: ['2026-11-25T09:59:00.000Z'] }])
    expect(wrapper.find('[aria-label="Replay results"]').text()).toContain('Delivered: Parley answered 200.')
  })

  it('opens a bundle clearly marked as imported, shows its checks and log instead, and closes it', async () => {
    const { wrapper, parley } = await mountWithParley(App, { path: PATH, script: script() })
    await chooseFile(wrapper.find<HTMLInputElement>('[data-open-bundle]').element, 'from-customer.json', '{"bundle":{}}')
    expect(parley.inputsOf('diagnostics.openBundle')).toEqual([{ name: 'from-customer.json', text: '{"bundle":{}}' }])
    const banner = wrapper.find('[data-imported]')
    expect(banner.text()).toContain('Imported bundle: from-customer.json')
    expect(banner.text()).toContain('Parley 0.9.0 (live, win32 10.0.22631)')
    expect(banner.text()).toContain('Nothing of it is added to this Parley.')
    expect(wrapper.findAll('[aria-label="Checks"] > li').map((c) => c.find('.check-title').text())).toEqual(['Clock against Meta'])
    expect(wrapper.findAll('table[aria-label="Event log"] tbody tr').map((r) => r.findAll('td')[2]!.text())).toEqual(['send failed'])
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain('Export bundle')
    await button(wrapper, 'Close bundle').trigger('click')
    await settle()
    expect(wrapper.find('[data-imported]').exists()).toBe(false)
    expect(wrapper.findAll('[aria-label="Checks"] > li')).toHaveLength(3)
  })

  it('says plainly when a file is not a bundle', async () => {
    const { wrapper } = await mountWithParley(App, {
      path: PATH,
      script: { ...script(), 'diagnostics.openBundle': () => Promise.reject(new ParleyError('bundle_foreign', 'notes.json is not a Parley diagnostic bundle.')) },
    })
    await chooseFile(wrapper.find<HTMLInputElement>('[data-open-bundle]').element, 'notes.json', 'hello')
    expect(wrapper.find('[role="alert"]').text()).toBe('The bundle could not be opened: notes.json is not a Parley diagnostic bundle.')
    expect(wrapper.find('[data-imported]').exists()).toBe(false)
  })

  it('is in German with the German labels', async () => {
    const { wrapper } = await mountWithParley(App, { path: PATH, script: script(), locale: 'de' })
    expect(wrapper.find('#diagnostics-title').text()).toBe('Diagnose')
    expect(wrapper.findAll('[data-verdict-label]').map((b) => b.text())).toEqual(['OK', 'Problem', 'Warnung · Konnte nicht laufen'])
    for (const label of ['Prüfungen ausführen', 'Paket exportieren', 'Filtern']) expect(button(wrapper, label).exists()).toBe(true)
    expect(wrapper.text()).toContain('Nachrichtentext aufnehmen')
    expect(wrapper.text()).toContain('Paket öffnen')
  })

  it('is for supervisors only: an agent is sent to the Inbox', async () => {
    const { router, parley } = await mountWithParley(App, { script: { ...agentSession, ...script() } })
    await router.push(PATH)
    await settle()
    expect(router.currentRoute.value.name).toBe('inbox')
    expect(parley.calls.map((c) => c.name)).not.toContain('diagnostics.run')
  })
})
