import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError } from '../../src-main/core/contract/index.ts'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { DAY, DONE, HOUR, MINUTE, conversation, inFuture, outboxItem, thread, threadScript, windowError } from './inboxFixtures.ts'
import type { Script } from './scriptedParley.ts'
import type { ThreadView } from '../../src-main/core/contract/index.ts'
import type { VueWrapper } from '@vue/test-utils'

afterEach(() => {
  document.body.innerHTML = ''
})

async function openThread(view: ThreadView = thread(), more: Script = {}) {
  return mountWithParley(App, { path: '/inbox/c-1', script: threadScript(view, { 'inbox.send': ({ id, conversationId, text }) => outboxItem({ id, conversationId, text, state: 'sending' }), ...more }) })
}
const replyBox = (wrapper: VueWrapper) => field<HTMLTextAreaElement>(wrapper, 'Reply')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('the composer', () => {
  it('has a box labelled "Reply" and a "Send" button, and sends with an id made by the window', async () => {
    const { wrapper, parley } = await openThread()
    await replyBox(wrapper).setValue('Yes, we are open until 6.')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    const [sent] = parley.inputsOf('inbox.send')
    expect(sent).toMatchObject({ conversationId: 'c-1', text: 'Yes, we are open until 6.' })
    expect(sent!.id).toMatch(UUID)
    expect(replyBox(wrapper).element.value).toBe('')
    // A second reply gets a new id: the same id never sends twice.
    await replyBox(wrapper).setValue('Anything else?')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.send')[1]!.id).not.toBe(sent!.id)
  })

  it('sends with Ctrl+Enter or ⌘+Enter; Enter alone is a new line', async () => {
    const { wrapper, parley } = await openThread()
    expect(wrapper.text()).toContain('Ctrl+Enter (⌘+Enter on a Mac) sends; Enter starts a new line.')
    const box = replyBox(wrapper)
    await box.setValue('Line one')
    await box.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(parley.inputsOf('inbox.send')).toHaveLength(0)
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true })
    await settle()
    expect(parley.inputsOf('inbox.send').map((s) => s.text)).toEqual(['Line one'])
    await box.setValue('Second')
    await box.trigger('keydown', { key: 'Enter', metaKey: true })
    await settle()
    expect(parley.inputsOf('inbox.send').map((s) => s.text)).toEqual(['Line one', 'Second'])
  })

  it('counts UTF-8 bytes against Instagram’s 1000 and refuses 1001 before sending', async () => {
    const { wrapper, parley } = await openThread()
    const counter = () => wrapper.find('[data-bytes]').text()
    const box = replyBox(wrapper)

    await box.setValue('ä'.repeat(500))
    expect(counter()).toBe('1000 / 1000 bytes')
    expect(box.attributes('aria-invalid')).toBeUndefined()
    await box.setValue('😀'.repeat(250) + 'a')
    expect(counter()).toBe('1001 / 1000 bytes')
    expect(box.attributes('aria-invalid')).toBe('true')
    expect(wrapper.find('.field-error').text()).toContain('1 bytes over Instagram’s limit of 1000 bytes')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.send')).toHaveLength(0)
    expect(wrapper.find('[data-refusal]').attributes('role')).toBe('alert')
    expect(wrapper.find('[data-refusal]').text()).toContain('Shorten it to send it.')
    expect(box.element.value).toBe('😀'.repeat(250) + 'a')

    await box.setValue('a'.repeat(1000))
    expect(counter()).toBe('1000 / 1000 bytes')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.send').map((s) => s.text?.length)).toEqual([1000])
  })

  it('refuses an empty reply', async () => {
    const { wrapper, parley } = await openThread()
    await replyBox(wrapper).setValue('   ')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.send')).toHaveLength(0)
    expect(wrapper.find('[data-refusal]').text()).toBe('Write a reply first.')
  })

  it('shows the window: standard, or human agent with the time left, and the near-deadline warning', async () => {
    const standard = await openThread(thread({ conversation: conversation(1, { window: { kind: 'standard', endsAt: inFuture(30 * MINUTE + 20_000), nearDeadline: true } }) }))
    expect(standard.wrapper.find('.composer-window').text()).toContain('Standard reply')
    expect(standard.wrapper.find('[data-countdown]').text()).toContain('30 min left to reply')
    expect(standard.wrapper.find('.composer [data-near-deadline]').text()).toContain('Less than an hour left to reply.')
    document.body.innerHTML = ''

    const humanAgent = await openThread(
      thread({
        conversation: conversation(1, { window: { kind: 'human_agent', endsAt: inFuture(2 * DAY + 3 * HOUR + 20_000), nearDeadline: false } }),
        composer: { enabled: true, messagingType: 'MESSAGE_TAG', problem: null },
      }),
    )
    expect(humanAgent.wrapper.find('.composer-window').text()).toContain('Human agent reply (up to 7 days)')
    expect(humanAgent.wrapper.find('[data-countdown]').text()).toContain('2 d 3 h left to reply')
    expect(humanAgent.wrapper.find('.composer [data-near-deadline]').exists()).toBe(false)
  })

  it('is disabled with main’s reason when more than 7 days have passed', async () => {
    const view = thread({
      conversation: conversation(1, { window: { kind: 'closed', endsAt: null, nearDeadline: false } }),
      composer: {
        enabled: false,
        messagingType: null,
        problem: { code: 'window_closed', message: 'More than 7 days have passed since the customer’s last message.', remedy: null },
      },
    })
    const { wrapper, parley } = await openThread(view)
    expect(replyBox(wrapper).element.disabled).toBe(true)
    expect(button(wrapper, 'Send').element.disabled).toBe(true)
    const reason = wrapper.find('[data-composer-disabled]')
    expect(reason.text()).toContain('More than 7 days have passed since the customer’s last message, so Instagram no longer allows a reply.')
    expect(replyBox(wrapper).attributes('aria-describedby')).toContain(reason.attributes('id'))
    await replyBox(wrapper).trigger('keydown', { key: 'Enter', ctrlKey: true })
    await settle()
    expect(parley.inputsOf('inbox.send')).toHaveLength(0)
  })

  it('counts on Meta’s clock as main says, whoever moved it: standard, then human agent, then closed with main’s reason', async () => {
    const endsAt = inFuture(23 * HOUR)
    let view = thread({ conversation: conversation(1, { window: { kind: 'standard', endsAt, nearDeadline: false } }) })
    const { wrapper, parley } = await openThread(view, { 'inbox.thread': () => view })
    expect(wrapper.find('.composer-window').text()).toContain('Standard reply')
    expect(wrapper.find('[data-countdown]').text()).toContain('22 h 59 min left to reply')

    // Main's clock jumped 25 h (the sandbox was moved outside Parley): the window counts again at once, and asks main.
    view = thread({
      conversation: conversation(1, { window: { kind: 'human_agent', endsAt: new Date(Date.parse(endsAt) + 6 * DAY).toISOString(), nearDeadline: false } }),
      composer: { enabled: true, messagingType: 'MESSAGE_TAG', problem: null },
    })
    parley.emit('clock.changed', { now: Date.now() + 25 * HOUR })
    await settle()
    expect(wrapper.find('.composer-window').text()).toContain('Human agent reply (up to 7 days)')
    expect(wrapper.find('[data-countdown]').text()).toContain('5 d 21 h left to reply')
    expect(button(wrapper, 'Send').element.disabled).toBe(false)
    expect(parley.inputsOf('inbox.thread')).toHaveLength(2)

    // Six days more: closed, with the reason main gives.
    view = thread({
      conversation: conversation(1, { window: { kind: 'closed', endsAt: null, nearDeadline: false } }),
      composer: { enabled: false, messagingType: null, problem: { code: 'window_closed', message: 'More than 7 days have passed since the customer’s last message.', remedy: null } },
    })
    parley.emit('clock.changed', { now: Date.now() + 25 * HOUR + 6 * DAY })
    await settle()
    expect(replyBox(wrapper).element.disabled).toBe(true)
    expect(button(wrapper, 'Send').element.disabled).toBe(true)
    expect(wrapper.find('[data-composer-disabled]').text()).toContain('Instagram no longer allows a reply')
  })

  it('keeps the draft and shows Meta’s window error when main refuses the reply', async () => {
    const { wrapper } = await openThread(thread(), {
      'inbox.send': () => {
        throw new ParleyError(windowError.code, windowError.message)
      },
    })
    await replyBox(wrapper).setValue('Sorry for the late answer!')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    const alert = wrapper.find('.composer [role="alert"]')
    expect(alert.text()).toContain('Your reply was not sent. It is still in the Reply box.')
    expect(alert.text()).toContain('outside the allowed reply window')
    expect(replyBox(wrapper).element.value).toBe('Sorry for the late answer!')
  })

  it('keeps the draft when the reply comes back failed, and offers Retry in the outbox', async () => {
    const { wrapper, parley } = await openThread(thread(), {
      'inbox.send': ({ id, conversationId, text }) => outboxItem({ id, conversationId, text, state: 'failed', problem: windowError }),
      'inbox.retry': ({ id }) => outboxItem({ id, text: 'Sorry for the late answer!', state: 'sending' }),
    })
    await replyBox(wrapper).setValue('Sorry for the late answer!')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(replyBox(wrapper).element.value).toBe('Sorry for the late answer!')
    expect(wrapper.find('.composer [role="alert"]').text()).toContain('outside the allowed reply window')
    const failed = wrapper.find('[data-state="failed"]')
    expect(failed.text()).toContain('Not sent')

    // Retry takes the same reply (same id); the box is cleared then, so it cannot be sent twice by hand.
    const id = parley.inputsOf('inbox.send')[0]!.id
    await button(failed, 'Retry').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.retry')).toEqual([{ id }])
    expect(wrapper.find(`[data-outbox="${id}"]`).attributes('data-state')).toBe('sending')
    expect(replyBox(wrapper).element.value).toBe('')
  })

  it('shows a reply waiting offline as "Waiting to send", then drops it from the outbox once sent', async () => {
    const { wrapper, parley } = await openThread(thread(), {
      'inbox.send': ({ id, conversationId, text }) => outboxItem({ id, conversationId, text, state: 'waiting', problem: { code: 'network.offline', message: 'Parley could not reach Meta.', remedy: null } }),
    })
    await replyBox(wrapper).setValue('See you tomorrow')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(replyBox(wrapper).element.value).toBe('')
    expect(wrapper.find('.composer [role="status"]').text()).toBe('Your reply is in the outbox and goes out as soon as Parley can send it.')
    const waiting = wrapper.find('[data-state="waiting"]')
    expect(waiting.find('.outbox-state').text()).toBe('Waiting to send')
    expect(waiting.text()).toContain('See you tomorrow')
    expect(buttons(waiting, 'Retry')).toHaveLength(0)

    const id = parley.inputsOf('inbox.send')[0]!.id
    parley.emit('outbox.changed', outboxItem({ id, text: 'See you tomorrow', state: 'sending' }))
    await settle()
    expect(wrapper.find(`[data-outbox="${id}"] .outbox-state`).text()).toBe('Sending…')
    parley.emit('outbox.changed', outboxItem({ id, text: 'See you tomorrow', state: 'sent' }))
    await settle()
    expect(wrapper.find(`[data-outbox="${id}"]`).exists()).toBe(false)
    // The sent reply is fetched into the thread.
    expect(parley.inputsOf('inbox.thread').length).toBeGreaterThan(1)
  })

  it('lists failed replies from main with Retry, and Discard puts the text back into an empty box', async () => {
    const failed = outboxItem({ id: 'out-9', state: 'failed', text: 'Our prices changed', problem: { code: 'temporary.send', message: 'Instagram could not send the message this time.', remedy: 'Send it again.' } })
    const { wrapper, parley } = await openThread(thread({ outbox: [failed] }), { 'inbox.discard': () => DONE })
    const item = wrapper.find('[data-outbox="out-9"]')
    expect(item.text()).toContain('Instagram could not send the message this time.')
    expect(buttons(item, 'Retry')).toHaveLength(1)
    await button(item, 'Discard').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.discard')).toEqual([{ id: 'out-9' }])
    expect(wrapper.find('[data-outbox="out-9"]').exists()).toBe(false)
    expect(replyBox(wrapper).element.value).toBe('Our prices changed')
    expect(wrapper.find('.outbox [role="status"]').text()).toBe('The reply was discarded; its text is back in the Reply box.')
  })

  it('does not overwrite a draft when a discarded reply comes back', async () => {
    const failed = outboxItem({ id: 'out-9', state: 'failed', text: 'Old text', problem: windowError })
    const { wrapper } = await openThread(thread({ outbox: [failed] }), { 'inbox.discard': () => DONE })
    await replyBox(wrapper).setValue('New text')
    await button(wrapper.find('[data-outbox="out-9"]'), 'Discard').trigger('click')
    await settle()
    expect(replyBox(wrapper).element.value).toBe('New text')
    expect(wrapper.find('.outbox [role="status"]').text()).toBe('The reply was discarded.')
  })

  it('keeps a draft per conversation', async () => {
    const { wrapper, router } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(thread(), { 'inbox.thread': ({ conversationId }) => thread({ conversation: conversation(Number(conversationId.slice(2))) }) }),
    })
    await replyBox(wrapper).setValue('For customer 1')
    await router.push('/inbox/c-2')
    await settle()
    expect(replyBox(wrapper).element.value).toBe('')
    await router.push('/inbox/c-1')
    await settle()
    expect(replyBox(wrapper).element.value).toBe('For customer 1')
  })
})
