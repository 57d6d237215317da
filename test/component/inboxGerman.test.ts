import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { de } from '../../src-renderer/src/i18n/de.ts'
import { en } from '../../src-renderer/src/i18n/en.ts'
import { useAppStore } from '../../src-renderer/src/stores/app.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { message, outboxItem, thread, threadScript, windowError } from './inboxFixtures.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

// product.md A11 and the brief: the inbox's words are contracts in both languages.
describe('the inbox’s contract labels', () => {
  it('are exact in English and German', () => {
    const pairs: [string, string, string, string][] = [
      [en.nav.inbox, de.nav.inbox, 'Inbox', 'Posteingang'],
      [en.composer.label, de.composer.label, 'Reply', 'Antwort'],
      [en.composer.send, de.composer.send, 'Send', 'Senden'],
      [en.thread.storyMention, de.thread.storyMention, 'mentioned you in their story', 'hat dich in der eigenen Story erwähnt'],
      [en.thread.withdrawn, de.thread.withdrawn, 'Message withdrawn by the customer', 'Nachricht vom Kunden zurückgezogen'],
      [en.outbox.states.waiting, de.outbox.states.waiting, 'Waiting to send', 'Wartet auf Versand'],
      [en.outbox.retry, de.outbox.retry, 'Retry', 'Erneut versuchen'],
      [en.problems.story.expired.message, de.problems.story.expired.message, 'This story is no longer available', 'Diese Story ist nicht mehr verfügbar'],
      [en.nav.sandbox, de.nav.sandbox, 'Sandbox', 'Sandbox'],
      [en.composer.humanAgent, de.composer.humanAgent, 'Human agent reply (up to 7 days)', 'Antwort durch einen Agenten (bis zu 7 Tage)'],
    ]
    for (const [english, german, expectedEnglish, expectedGerman] of pairs) {
      expect(english).toBe(expectedEnglish)
      expect(german).toBe(expectedGerman)
    }
  })
})

describe('the inbox in German', () => {
  it('shows Posteingang, Antwort, Senden, the story mention, the withdrawn message, the outbox and the expired story', async () => {
    const mention = message({ kind: 'story_mention', text: null, story: { kind: 'mention' } })
    const view = thread({
      messages: [message({ text: null, withdrawn: true }), mention],
      outbox: [outboxItem({ id: 'w', state: 'waiting', text: 'Bis morgen' }), outboxItem({ id: 'f', state: 'failed', text: 'Zu spät', problem: windowError })],
    })
    const { wrapper } = await mountWithParley(App, {
      locale: 'de',
      path: '/inbox/c-1',
      script: threadScript(view, { 'inbox.openStory': () => ({ opened: false, problem: { code: 'story.expired', message: 'This story is no longer available', remedy: null } }) }),
    })
    await useAppStore().load()
    await settle()
    expect(wrapper.find('h1').text()).toBe('Posteingang')
    expect(wrapper.findAll('nav[aria-label="Hauptnavigation"] a').map((a) => a.text())).toEqual(['Posteingang', 'Sandbox', 'Admin'])
    expect(field(wrapper, 'Antwort').element.tagName).toBe('TEXTAREA')
    expect(buttons(wrapper, 'Senden')).toHaveLength(1)
    expect(wrapper.find('[data-withdrawn]').text()).toBe('Nachricht vom Kunden zurückgezogen')
    expect(wrapper.find('[data-story="mention"]').text()).toContain('Customer 1 hat dich in der eigenen Story erwähnt')
    expect(wrapper.find('[data-outbox="w"] .outbox-state').text()).toBe('Wartet auf Versand')
    expect(buttons(wrapper.find('[data-outbox="f"]'), 'Erneut versuchen')).toHaveLength(1)
    // Meta's window error, known by its code: in German.
    expect(wrapper.find('[data-outbox="f"]').text()).toContain('außerhalb des erlaubten Antwortfensters')
    await button(wrapper, 'Story ansehen').trigger('click')
    await settle()
    expect(wrapper.find(`[data-mid="${mention.mid}"] [role="alert"]`).text()).toBe('Diese Story ist nicht mehr verfügbar')
  })
})
