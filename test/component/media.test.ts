import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageView } from '../../src-main/core/contract/index.ts'
import CustomerAvatar from '../../src-renderer/src/components/CustomerAvatar.vue'
import MessageItem from '../../src-renderer/src/components/MessageItem.vue'
import { createParleyI18n } from '../../src-renderer/src/i18n/index.ts'
import { buttons } from './queries.ts'
import { conversation, message } from './inboxFixtures.ts'

// Avatars and attachments as the window shows them: loaded from main's media route, with a
// placeholder when main cannot get them (expired on Meta's CDN).
afterEach(() => {
  document.body.innerHTML = ''
})

const customer = (avatarUrl: string | null) => ({ ...conversation(1).customer, name: 'Lea Hoffmann', avatarUrl })
const mountAvatar = (avatarUrl: string | null) => mount(CustomerAvatar, { props: { customer: customer(avatarUrl) }, global: { plugins: [createParleyI18n('en')] } })
const mountMessage = (view: MessageView, locale: 'en' | 'de' = 'en') =>
  mount(MessageItem, { props: { message: view, customerName: 'Lea Hoffmann', showSeen: false }, global: { plugins: [createParleyI18n(locale)] } })
const attachment = (overrides: Partial<MessageView['attachments'][number]>): MessageView['attachments'][number] => ({
  type: 'image', mime: null, name: null, url: null, blocked: false, ...overrides,
})

describe('the customer’s avatar', () => {
  it('shows the picture from the media route', () => {
    const wrapper = mountAvatar('/media/avatar/c-1')
    expect(wrapper.find('img').attributes('src')).toBe('/media/avatar/c-1')
    expect(wrapper.find('.avatar-initials').exists()).toBe(false)
  })

  it('falls back to initials without a picture, and when main cannot get it', async () => {
    expect(mountAvatar(null).find('.avatar-initials').text()).toBe('LH')
    const wrapper = mountAvatar('/media/avatar/c-1')
    await wrapper.find('img').trigger('error')
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('.avatar-initials').text()).toBe('LH')
    // A new picture is tried again.
    await wrapper.setProps({ customer: customer('/media/avatar/c-2') })
    expect(wrapper.find('img').attributes('src')).toBe('/media/avatar/c-2')
  })
})

describe('attachments in a thread', () => {
  it('shows image thumbnails, players for video and audio, and a link for files — all from main', () => {
    const view = message({
      kind: 'attachment',
      text: null,
      attachments: [
        attachment({ type: 'image', url: '/media/attachment/m/0' }),
        attachment({ type: 'video', url: '/media/attachment/m/1' }),
        attachment({ type: 'audio', url: '/media/attachment/m/2' }),
        attachment({ type: 'file', mime: 'application/pdf', name: 'menu.pdf', url: '/media/attachment/m/3' }),
      ],
    })
    const wrapper = mountMessage(view)
    expect(wrapper.find('img.attachment-image').attributes()).toMatchObject({ src: '/media/attachment/m/0', alt: 'Image from Lea Hoffmann' })
    const video = wrapper.find('video')
    expect(video.attributes()).toMatchObject({ src: '/media/attachment/m/1', 'aria-label': 'Video from Lea Hoffmann' })
    expect(video.attributes()).toHaveProperty('controls')
    const audio = wrapper.find('audio')
    expect(audio.attributes()).toMatchObject({ src: '/media/attachment/m/2', 'aria-label': 'Audio from Lea Hoffmann' })
    expect(audio.attributes()).toHaveProperty('controls')
    const link = wrapper.find('a.attachment-file')
    expect(link.attributes()).toMatchObject({ href: '/media/attachment/m/3', rel: 'noopener noreferrer' })
    expect(link.text()).toContain('Open menu.pdf')
  })

  it('keeps blocked attachments blocked (never loaded) and shows a placeholder for media that is gone', async () => {
    const view = message({
      kind: 'attachment',
      text: null,
      attachments: [attachment({ type: 'video', mime: 'video/mp4', blocked: true }), attachment({ type: 'image', url: '/media/attachment/m/1' })],
    })
    const wrapper = mountMessage(view, 'de')
    expect(wrapper.find('[data-blocked]').exists()).toBe(true)
    expect(wrapper.findAll('video')).toHaveLength(0)
    await wrapper.find('img.attachment-image').trigger('error')
    expect(wrapper.find('img.attachment-image').exists()).toBe(false)
    expect(wrapper.find('[data-unavailable]').text()).toBe('Bild: nicht mehr verfügbar')
  })

  it('offers "View story" for a story reply as for a mention, and never loads story media in the thread', async () => {
    const reply = message({ kind: 'story_reply', text: 'Love this roast!', story: { kind: 'reply' } })
    const wrapper = mountMessage(reply)
    expect(wrapper.find('[data-story="reply"]').text()).toBe('Replied to your story')
    const [view] = buttons(wrapper, 'View story')
    await view!.trigger('click')
    expect(wrapper.emitted('openStory')).toEqual([[reply.mid]])
    expect(wrapper.findAll('img, video, audio')).toHaveLength(0)
  })
})
