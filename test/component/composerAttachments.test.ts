import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { ParleyError, type OutboxView, type PickedAttachment, type StagedAttachmentView } from '../../src-main/core/contract/index.ts'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons, field } from './queries.ts'
import { DONE, outboxItem, thread, threadScript } from './inboxFixtures.ts'
import type { Script } from './scriptedParley.ts'

// A4: the composer's "Attach file" — a chip with name, type and size, main's problems under it,
// "Remove attachment", and a file with a text going out as two messages (the file first).

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

const staged = (overrides: Partial<StagedAttachmentView> = {}): StagedAttachmentView => ({
  id: 'a'.repeat(32), name: 'Speisekarte.png', type: 'image', mime: 'image/png', size: 153_600, problems: [], ...overrides,
})
const overInstagram = {
  code: 'attachment_over_instagram_size',
  message: 'The attachment is 9 MB; Instagram accepts images up to 8 MB.',
  remedy: 'Send a smaller file.',
  params: { mimeType: 'image/png', size: '9 MB', type: 'image', limit: '8 MB' },
}

async function openThread(pick: PickedAttachment | (() => PickedAttachment), more: Script = {}, locale?: 'de') {
  const picks = typeof pick === 'function' ? pick : () => pick
  const mounted = await mountWithParley(App, {
    path: '/inbox/c-1',
    transport: 'ipc',
    locale,
    script: threadScript(thread(), {
      'inbox.pickAttachment': () => picks(),
      'inbox.discardAttachment': () => DONE,
      'inbox.send': ({ id, conversationId, text, attachmentId }): OutboxView =>
        outboxItem({ id, conversationId, text: text ?? null, state: 'waiting', attachment: attachmentId ? { type: 'image', name: 'Speisekarte.png', mime: 'image/png', size: 153_600 } : null }),
      ...more,
    }),
  })
  return mounted
}
const replyBox = (wrapper: VueWrapper) => field<HTMLTextAreaElement>(wrapper, 'Reply')
const chip = (wrapper: VueWrapper) => wrapper.find('[data-attachment-chip]')

describe('attaching a file in the composer', () => {
  it('shows the picked file as a chip beside Send, and sends it by its staged id', async () => {
    const { wrapper, parley } = await openThread({ attachment: staged(), problem: null })
    expect(chip(wrapper).exists()).toBe(false)
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.pickAttachment')).toEqual([{ conversationId: 'c-1' }])
    expect(chip(wrapper).attributes('role')).toBe('group')
    expect(chip(wrapper).attributes('aria-label')).toBe('Attachment')
    expect(chip(wrapper).find('[data-attachment-name]').text()).toBe('Speisekarte.png')
    expect(chip(wrapper).find('[data-attachment-details]').text()).toBe('Image, 150 KB')
    expect(wrapper.find('[data-attach-status]').text()).toBe('Speisekarte.png is attached.')
    // No text: the file alone is a reply.
    expect(button(wrapper, 'Send').attributes('disabled')).toBeUndefined()
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.send')).toEqual([{ id: expect.any(String), conversationId: 'c-1', attachmentId: 'a'.repeat(32) }])
    expect(chip(wrapper).exists()).toBe(false)
    // The outbox shows it by name and type, "Waiting to send".
    const waiting = wrapper.find('[data-state="waiting"]')
    expect(waiting.find('.outbox-text').text()).toContain('Image “Speisekarte.png”')
    expect(waiting.find('.outbox-state').text()).toBe('Waiting to send')
  })

  it('sends a file with a text as two messages, the file first, and says so', async () => {
    const { wrapper, parley } = await openThread({ attachment: staged(), problem: null })
    await replyBox(wrapper).setValue('Here is our menu.')
    expect(wrapper.find('[data-two-messages]').exists()).toBe(false)
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    expect(wrapper.find('[data-two-messages]').text()).toBe('Instagram takes a file or a text per message: the file goes first, then the text as a second message.')
    await button(wrapper, 'Send').trigger('click')
    await settle()
    const sent = parley.inputsOf('inbox.send')
    expect(sent.map((s) => ('attachmentId' in s ? 'file' : s.text))).toEqual(['file', 'Here is our menu.'])
    expect(sent[0]!.id).not.toBe(sent[1]!.id)
    expect(replyBox(wrapper).element.value).toBe('')
  })

  it('shows main’s problems under the chip and does not send until the file is removed', async () => {
    const { wrapper, parley } = await openThread({ attachment: staged({ size: 9 * 1024 * 1024, problems: [overInstagram] }), problem: null })
    await replyBox(wrapper).setValue('Our menu')
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    const problems = wrapper.find('[data-attachment-problems]')
    expect(problems.attributes('role')).toBe('alert')
    expect(problems.text()).toContain('This file cannot be sent:')
    expect(problems.text()).toContain('The attachment is 9 MB; Instagram accepts image/png files up to 8 MB. Send a smaller file.')
    const send = button(wrapper, 'Send')
    expect(send.attributes('disabled')).toBeDefined()
    expect(send.attributes('aria-describedby')).toBe(problems.attributes('id'))
    await send.trigger('submit')
    await settle()
    expect(parley.inputsOf('inbox.send')).toEqual([])

    await button(wrapper, 'Remove attachment').trigger('click')
    await settle()
    expect(parley.inputsOf('inbox.discardAttachment')).toEqual([{ id: 'a'.repeat(32) }])
    expect(chip(wrapper).exists()).toBe(false)
    expect(wrapper.find('[data-attachment-problems]').exists()).toBe(false)
    expect(wrapper.find('[data-attach-status]').text()).toBe('The attachment was removed.')
    expect(document.activeElement?.textContent?.trim()).toBe('Attach file')
    expect(button(wrapper, 'Send').attributes('disabled')).toBeUndefined()
    // The text is still there and goes alone.
    expect(replyBox(wrapper).element.value).toBe('Our menu')
  })

  it('says why a file was not taken (not an image, video, audio or PDF)', async () => {
    const refused = {
      code: 'attachment_not_media',
      message: '“setup.png” is not an image, video, audio or PDF file (its content is a Windows program), so Instagram cannot take it.',
      remedy: 'Send images as PNG, JPEG or GIF, video as MP4, documents as PDF.',
      params: { name: 'setup.png', kind: 'a Windows program' },
    }
    const { wrapper } = await openThread({ attachment: null, problem: refused })
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    expect(chip(wrapper).exists()).toBe(false)
    const notice = wrapper.find('[data-attach-problem]')
    expect(notice.attributes('role')).toBe('alert')
    expect(notice.text()).toContain('“setup.png” is not an image, video, audio or PDF file, so Instagram cannot take it.')
  })

  it('keeps the chip and the text when main refuses the reply', async () => {
    const { wrapper, parley } = await openThread({ attachment: staged(), problem: null }, {
      'inbox.send': () => {
        throw new ParleyError('attachment_no_public_address', 'Meta cannot fetch files from Parley.')
      },
    })
    await replyBox(wrapper).setValue('Menu attached')
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    await button(wrapper, 'Send').trigger('click')
    await settle()
    expect(chip(wrapper).exists()).toBe(true)
    expect(replyBox(wrapper).element.value).toBe('Menu attached')
    expect(wrapper.text()).toContain('in Live mode that needs a public webhook address')
    expect(parley.inputsOf('inbox.send')).toHaveLength(1)
  })

  it('replaces a chip by the next file picked, discarding the first in main', async () => {
    let n = 0
    const { wrapper, parley } = await openThread(() => ({ attachment: staged({ id: String(++n).repeat(32), name: `file-${n}.png` }), problem: null }))
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    await button(wrapper, 'Attach file').trigger('click')
    await settle()
    expect(chip(wrapper).find('[data-attachment-name]').text()).toBe('file-2.png')
    expect(parley.inputsOf('inbox.discardAttachment')).toEqual([{ id: '1'.repeat(32) }])
    expect(buttons(wrapper, 'Remove attachment')).toHaveLength(1)
  })

  it('is in German too', async () => {
    const { wrapper } = await openThread({ attachment: staged({ problems: [overInstagram] }), problem: null }, {}, 'de')
    await button(wrapper, 'Datei anhängen').trigger('click')
    await settle()
    expect(chip(wrapper).attributes('aria-label')).toBe('Anhang')
    expect(chip(wrapper).find('[data-attachment-details]').text()).toBe('Bild, 150 KB groß')
    expect(button(wrapper, 'Anhang entfernen').exists()).toBe(true)
    expect(wrapper.find('[data-attachment-problems]').text()).toContain('Der Anhang ist 9 MB groß; Instagram nimmt image/png-Dateien nur bis 8 MB an.')
  })
})

describe('attaching in the browser host', () => {
  it('picks with a file input and uploads the bytes to POST /attachments', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(staged({ name: 'menu.png' })), { status: 200, headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper } = await mountWithParley(App, { path: '/inbox/c-1', transport: 'websocket', script: threadScript(thread()) })
    const click = vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => {})
    await button(wrapper, 'Attach file').trigger('click')
    const input = document.querySelector<HTMLInputElement>('input[type="file"][data-attachment-input]')!
    expect(input).not.toBeNull()
    expect(click).toHaveBeenCalled()
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'menu.png', { type: 'image/png' })
    Object.defineProperty(input, 'files', { value: [file] })
    input.dispatchEvent(new Event('change'))
    await settle()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/attachments?conversationId=c-1')
    expect(init).toMatchObject({ method: 'POST', body: file, headers: { 'x-parley-file-name': 'menu.png' } })
    expect(chip(wrapper).find('[data-attachment-name]').text()).toBe('menu.png')
    expect(document.querySelector('input[type="file"][data-attachment-input]')).toBeNull()
  })

  it('shows the upload’s refusal in plain words (413)', async () => {
    const tooLarge = { code: 'attachment_too_large', message: '“big.mov” is larger than 25 MB, the most Instagram accepts for any file.', remedy: 'Send a smaller file.', params: { name: 'big.mov', limit: '25 MB' } }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(tooLarge), { status: 413 })))
    const { wrapper } = await mountWithParley(App, { path: '/inbox/c-1', transport: 'websocket', script: threadScript(thread()) })
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => {})
    await button(wrapper, 'Attach file').trigger('click')
    const input = document.querySelector<HTMLInputElement>('input[data-attachment-input]')!
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'big.mov')] })
    input.dispatchEvent(new Event('change'))
    await settle()
    expect(chip(wrapper).exists()).toBe(false)
    expect(wrapper.find('[data-attach-problem]').text()).toContain('“big.mov” is larger than 25 MB, the most Instagram accepts for any file.')
  })
})
