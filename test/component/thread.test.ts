import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { conversation, message, thread, threadScript } from './inboxFixtures.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a thread', () => {
  it('shows every kind of message, oldest at the top', async () => {
    const hello = message({ text: 'Do you roast decaf?' })
    const answer = message({ direction: 'outbound', text: 'Yes, every Tuesday.', seen: true })
    const quoted = message({ text: 'Great, thanks', replyTo: { mid: answer.mid, preview: 'Yes, every Tuesday.' }, reaction: null })
    const reacted = message({ direction: 'outbound', text: 'You are welcome!', reaction: { reaction: 'love', emoji: '❤️' }, seen: true })
    const withdrawn = message({ text: null, withdrawn: true })
    const mention = message({ kind: 'story_mention', text: null, story: { kind: 'mention' } })
    const storyReply = message({ kind: 'story_reply', text: 'Love this roast!', story: { kind: 'reply' } })
    const blocked = message({ kind: 'attachment', text: null, attachments: [{ type: 'video', mime: 'video/mp4', name: null, url: null, blocked: true }] })
    const photo = message({ kind: 'attachment', text: null, attachments: [{ type: 'image', mime: 'image/jpeg', name: null, url: 'parley-media://m/1', blocked: false }] })
    const file = message({ kind: 'attachment', text: null, attachments: [{ type: 'file', mime: 'application/pdf', name: 'invoice.pdf', url: null, blocked: false }] })
    const echo = message({ direction: 'echo', text: 'Sent from the phone', seen: false })
    const all = [hello, answer, quoted, reacted, withdrawn, mention, storyReply, blocked, photo, file, echo]
    const { wrapper } = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(thread({ messages: all })) })

    const items = wrapper.findAll('.message')
    expect(items.map((m) => m.attributes('data-mid'))).toEqual(all.map((m) => m.mid))
    const item = (mid: string) => wrapper.find(`[data-mid="${mid}"]`)
    expect(item(hello.mid).classes()).toContain('message--inbound')
    expect(item(answer.mid).classes()).toContain('message--outbound')
    expect(item(echo.mid).classes()).toContain('message--echo')
    expect(item(echo.mid).find('.message-meta').text()).toContain('You, from the Instagram app')

    expect(item(quoted.mid).find('[data-reply-to]').text()).toBe('Replying to Yes, every Tuesday.')
    expect(item(reacted.mid).find('[data-reaction]').text()).toContain('❤️')
    expect(item(reacted.mid).find('[data-reaction] .sr-only').text()).toBe('Reaction: ❤️')
    expect(item(withdrawn.mid).find('[data-withdrawn]').text()).toBe('Message withdrawn by the customer')
    expect(item(mention.mid).find('[data-story="mention"]').text()).toContain('Customer 1 mentioned you in their story')
    expect(buttons(item(mention.mid), 'View story')).toHaveLength(1)
    expect(item(storyReply.mid).find('[data-story="reply"]').text()).toBe('Replied to your story')
    expect(item(storyReply.mid).find('.message-text').text()).toBe('Love this roast!')
    // Blocked by the content profile: named, never loaded.
    expect(item(blocked.mid).find('[data-blocked]').text()).toBe('Video — blocked by the content profile')
    expect(item(blocked.mid).find('img').exists()).toBe(false)
    expect(item(photo.mid).find('img').attributes('src')).toBe('parley-media://m/1')
    expect(item(photo.mid).find('img').attributes('alt')).toBe('Image from Customer 1')
    expect(item(file.mid).find('.attachment-file').text()).toContain('invoice.pdf')

    // "Seen" once, under the last business message the customer has seen.
    expect(wrapper.findAll('[data-seen]').map((s) => s.element.closest('.message')!.getAttribute('data-mid'))).toEqual([reacted.mid])
    expect(wrapper.find('[data-seen]').text()).toContain('Seen')
  })

  it('opens a story in main’s viewer, and says why it cannot', async () => {
    const mention = message({ kind: 'story_mention', text: null, story: { kind: 'mention' } })
    const old = message({ kind: 'story_mention', text: null, story: { kind: 'mention' } })
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(thread({ messages: [old, mention] }), {
        'inbox.openStory': ({ mid }) =>
          mid === old.mid
            ? { opened: false, problem: { code: 'story.expired', message: 'This story is no longer available', remedy: null } }
            : { opened: false, problem: { code: 'story.browser_only', message: 'The browser host does not show story media: it cannot protect it from screen capture.', remedy: null } },
      }),
    })
    await button(wrapper.find(`[data-mid="${old.mid}"]`), 'View story').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.openStory')).toEqual([{ mid: old.mid }])
    expect(wrapper.find(`[data-mid="${old.mid}"] [role="alert"]`).text()).toBe('This story is no longer available')

    await button(wrapper.find(`[data-mid="${mention.mid}"]`), 'View story').trigger('click')
    await settle()
    // A code this window does not know: main's own words.
    expect(wrapper.find(`[data-mid="${mention.mid}"] [role="alert"]`).text()).toContain('The browser host does not show story media')

    parley.script({ 'inbox.openStory': () => ({ opened: true, problem: null }) })
    await button(wrapper.find(`[data-mid="${mention.mid}"]`), 'View story').trigger('click')
    await settle()
    expect(wrapper.find(`[data-mid="${mention.mid}"] [role="alert"]`).exists()).toBe(false)
    expect(wrapper.find(`[data-mid="${mention.mid}"] .story-status`).text()).toBe('The story is shown in Parley’s protected viewer.')
  })

  it('loads older messages with nextCursor and puts them on top', async () => {
    const older = message({ text: 'An old question' })
    const newer = message({ text: 'A newer one' })
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: threadScript(thread({ messages: [newer], nextCursor: 'before-1' }), {
        'inbox.thread': ({ before }) => (before ? thread({ messages: [older], nextCursor: null }) : thread({ messages: [newer], nextCursor: 'before-1' })),
      }),
    })
    expect(wrapper.findAll('.message-text').map((m) => m.text())).toEqual(['A newer one'])
    const scroller = wrapper.find('.thread-messages')
    expect(scroller.attributes('role')).toBe('region')
    scroller.element.scrollTop = 0
    await scroller.trigger('scroll')
    await settle()
    expect(parley.inputsOf('inbox.thread')).toEqual([
      { conversationId: 'c-1', limit: 50 },
      { conversationId: 'c-1', before: 'before-1', limit: 50 },
    ])
    expect(wrapper.findAll('.message-text').map((m) => m.text())).toEqual(['An old question', 'A newer one'])
    expect(buttons(wrapper, 'Load older messages')).toHaveLength(0)
    expect(wrapper.text()).toContain('This is the start of the conversation.')
  })

  it('shows a conversation of a deleted integration as readable but not answerable', async () => {
    const view = thread({
      conversation: conversation(1, { integrationDeleted: true, integrationName: 'Hotel DMs' }),
      messages: [message({ text: 'Is breakfast included?' })],
      composer: { enabled: false, messagingType: null, problem: { code: 'integration_deleted', message: 'The integration was deleted.', remedy: null } },
    })
    const { wrapper } = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(view) })
    expect(wrapper.find('.thread-header h2').text()).toBe('Customer 1')
    expect(wrapper.find('[data-integration]').text()).toBe('Instagram · Hotel DMs')
    expect(wrapper.find('[data-integration-deleted]').text()).toBe('Integration deleted')
    expect(wrapper.find('.thread-deleted').text()).toContain('“Hotel DMs” was deleted')
    expect(wrapper.find('.message-text').text()).toBe('Is breakfast included?')
    expect(field<HTMLTextAreaElement>(wrapper, 'Reply').element.disabled).toBe(true)
    expect(button(wrapper, 'Send').element.disabled).toBe(true)
    expect(wrapper.find('[data-composer-disabled]').text()).toContain('can no longer be answered')
  })
})
