import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError } from '../../src-main/core/contract/index.ts'
import App from '../../src-renderer/src/App.vue'
import { useAppStore } from '../../src-renderer/src/stores/app.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, field } from './queries.ts'
import { sandboxState } from './inboxFixtures.ts'
import type { Script } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const delivered = { delivered: true, note: null }

async function openSandbox(more: Script = {}) {
  const mounted = await mountWithParley(App, {
    script: {
      'sandbox.state': () => sandboxState(),
      'sandbox.act': () => delivered,
      'sandbox.clock': () => ({ now: '2026-11-25T10:01:00.000Z' }),
      ...more,
    },
  })
  await useAppStore().load()
  await settle()
  const link = mounted.wrapper.findAll('nav[aria-label="Main"] a').find((a) => a.text() === 'Sandbox')!
  await link.trigger('click')
  await settle()
  return mounted
}

describe('the Sandbox view', () => {
  it('is reached from the main navigation in sandbox mode', async () => {
    const { wrapper, router, parley } = await openSandbox()
    expect(router.currentRoute.value.path).toBe('/sandbox')
    expect(wrapper.find('h1').text()).toBe('Sandbox')
    expect(parley.inputsOf('sandbox.state')).toHaveLength(1)
    expect(wrapper.find('[data-now]').text()).toMatch(/^Sandbox time: .*2026/)
  })

  it('sends text, an image, a story mention and a story reply as the chosen customer', async () => {
    const { wrapper, parley } = await openSandbox()
    const account = field<HTMLSelectElement>(wrapper, 'Business account')
    const customer = field<HTMLSelectElement>(wrapper, 'Customer')
    expect(account.findAll('option').map((o) => o.text())).toEqual(['@nordlicht.kaffee (Nordlicht Kaffeerösterei)', '@hafenblick (Hafenblick Hotel)'])
    expect(customer.findAll('option').map((o) => o.text())).toEqual(['Lena Vogel (@lena.vogel)', 'Jonas Private (@jonas.p) — private account'])
    await account.setValue('ig-biz-2')

    await field(wrapper, 'Message text').setValue('Do you have a room for Friday?')
    await button(wrapper, 'Send text').trigger('click')
    await settle()
    await button(wrapper, 'Send image').trigger('click')
    await settle()
    await button(wrapper, 'Story mention').trigger('click')
    await settle()
    await field(wrapper, 'Message text').setValue('Great view!')
    await button(wrapper, 'Story reply').trigger('click')
    await settle()
    expect(parley.inputsOf('sandbox.act')).toEqual([
      { action: 'text', to: 'ig-biz-2', from: 'cust-1', text: 'Do you have a room for Friday?' },
      { action: 'image', to: 'ig-biz-2', from: 'cust-1' },
      { action: 'story_mention', to: 'ig-biz-2', from: 'cust-1' },
      { action: 'story_reply', to: 'ig-biz-2', from: 'cust-1', text: 'Great view!' },
    ])
    expect(wrapper.findAll('[data-result]').map((r) => r.text())).toEqual(['Story reply sent.', 'Story mention sent.', 'Image sent.', 'Text sent.'])
    // What was sent is shown in the recent messages after each action.
    expect(parley.inputsOf('sandbox.state')).toHaveLength(5)
  })

  it('asks for text before sending text', async () => {
    const { wrapper, parley } = await openSandbox()
    await button(wrapper, 'Send text').trigger('click')
    await settle()
    expect(parley.inputsOf('sandbox.act')).toHaveLength(0)
    expect(wrapper.find('[role="alert"]').text()).toBe('Write the message text first.')
  })

  it('shows why Instagram did not deliver a private account’s story mention', async () => {
    const { wrapper, parley } = await openSandbox({
      'sandbox.act': () => ({ delivered: false, note: 'Instagram delivers story mentions from private accounts only to businesses that follow them.' }),
    })
    await field(wrapper, 'Customer').setValue('cust-2')
    expect(wrapper.text()).toContain('Private account: Instagram delivers its story mentions only if the business follows it.')
    await button(wrapper, 'Story mention').trigger('click')
    await settle()
    expect(parley.inputsOf('sandbox.act')).toEqual([{ action: 'story_mention', to: 'ig-biz-1', from: 'cust-2' }])
    expect(wrapper.find('[data-result]').text()).toBe('Not delivered: Instagram delivers story mentions from private accounts only to businesses that follow them.')
    expect(wrapper.find('[data-result]').classes()).toContain('sandbox-result--undelivered')
  })

  it('unsends and reacts to a recent customer message', async () => {
    const { wrapper, parley } = await openSandbox()
    const recent = wrapper.find('[data-mid="rm-2"]')
    expect(recent.text()).toContain('Do you ship to Austria?')
    expect(recent.text()).toContain('@lena.vogel → @nordlicht.kaffee')
    await button(recent, 'Unsend').trigger('click')
    await settle()
    await button(wrapper.find('[data-mid="rm-2"]'), 'React').trigger('click')
    const picker = wrapper.find('[data-mid="rm-2"] [role="group"]')
    expect(picker.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())).toEqual(['Love', 'Like', 'Laugh', 'Wow', 'Sad', 'Angry', 'Remove reaction'])
    await button(picker, 'Love').trigger('click')
    await settle()
    await button(wrapper.find('[data-mid="rm-1"]'), 'React').trigger('click')
    await button(wrapper.find('[data-mid="rm-1"]'), 'Remove reaction').trigger('click')
    await settle()
    expect(parley.inputsOf('sandbox.act')).toEqual([
      { action: 'unsend', mid: 'rm-2' },
      { action: 'react', mid: 'rm-2', reaction: 'love' },
      { action: 'react', mid: 'rm-1', reaction: null },
    ])
  })

  it('moves the clock with the presets and a free duration, and shows the new time', async () => {
    const { wrapper, parley } = await openSandbox()
    for (const preset of ['+1 hour', '+23 h 59 m', '+24 h 1 m', '+7 days']) {
      await button(wrapper, preset).trigger('click')
      await settle()
    }
    await field(wrapper, 'Advance by').setValue('6d23h')
    await button(wrapper, 'Advance').trigger('click')
    await settle()
    await field(wrapper, 'Advance by').setValue('tomorrow')
    await button(wrapper, 'Advance').trigger('click')
    await settle()
    expect(parley.inputsOf('sandbox.clock')).toEqual([{ advance: '1h' }, { advance: '23h59m' }, { advance: '24h1m' }, { advance: '7d' }, { advance: '6d23h' }])
    expect(wrapper.find('[role="alert"]').text()).toBe('Use a duration such as 25h, 6d23h or 30m.')
    expect(wrapper.find('[data-result]').text()).toMatch(/^The clock moved by 6d23h: it is now .*2026/)
    expect(wrapper.find('[data-now]').text()).toContain('25')
  })

  it('says what the sandbox refused', async () => {
    const { wrapper } = await openSandbox({
      'sandbox.act': () => {
        throw new ParleyError('sandbox_refused', 'No such message.')
      },
    })
    await button(wrapper.find('[data-mid="rm-1"]'), 'Unsend').trigger('click')
    await settle()
    expect(wrapper.find('[data-result]').text()).toBe('The sandbox refused: No such message.')
  })

  it('is not offered in live mode', async () => {
    const live = { name: 'Parley', version: '9.9.9', mode: 'live' as const, dataDir: '/tmp/parley-test' }
    const { wrapper, router, parley } = await mountWithParley(App, { script: { 'app.info': () => live, 'sandbox.state': () => sandboxState() } })
    await useAppStore().load()
    await settle()
    expect(wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).toEqual(['Inbox', 'Admin'])
    await router.push('/sandbox')
    await settle()
    expect(wrapper.text()).toContain('The Sandbox view is available only while Parley runs against its built-in sandbox.')
    expect(parley.inputsOf('sandbox.state')).toHaveLength(0)
    expect(wrapper.find('button').exists() && wrapper.text().includes('Send text')).toBe(false)
  })
})
