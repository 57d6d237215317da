// A4: staging the files agents attach — what a file is (its bytes, not its name), Instagram's and
// the profile's caps, where it is kept, how Meta fetches it, and when it goes.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { Logger } from '../../../../src-main/core/app/logger.ts'
import { DEFAULT_CONTENT_PROFILE, type ContentProfile } from '../../../../src-main/core/integrations/contentProfiles.ts'
import { createAttachmentService, sniff, type AttachmentChooser } from '../../../../src-main/core/inbox/outbound/attachments/index.ts'
import type { Store } from '../../../../src-main/core/store/index.ts'
import { solidPng } from '../../../../src-main/sandbox/png.ts'
import { conversationFor, openTempStore, tempDir } from '../../store/helpers.ts'

const MB = 1024 * 1024
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} }
const PNG = solidPng('#3366cc')
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(4000, 7)])
/** A PNG's signature and then `size` bytes in all (its body need not be a picture for the checks). */
const pngOf = (size: number) => Buffer.concat([PNG.subarray(0, 64), Buffer.alloc(size - 64, 1)])

async function* chunksOf(bytes: Buffer, chunkSize = 64 * 1024, read = { bytes: 0 }) {
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const chunk = bytes.subarray(at, at + chunkSize)
    read.bytes += chunk.length
    yield chunk
  }
}

async function setup(options: { origin?: string | null; profile?: ContentProfile; chooser?: AttachmentChooser; now?: () => number } = {}) {
  const dataDir = tempDir('parley-attach-')
  const dir = join(dataDir, 'outgoing')
  const store: Store = openTempStore()
  const conversation = await conversationFor(store, 'igsid-1')
  const origin = { current: options.origin === undefined ? 'http://127.0.0.1:4999' : options.origin }
  const service = createAttachmentService({
    dir,
    store,
    profileFor: () => options.profile ?? DEFAULT_CONTENT_PROFILE,
    publicOrigin: () => origin.current,
    chooser: () => options.chooser ?? null,
    now: options.now ?? (() => Date.now()),
    log: quiet,
  })
  const upload = (bytes: Buffer, name: string, more: { declaredSize?: number; read?: { bytes: number } } = {}) =>
    service.upload({ conversationId: conversation.id, name, chunks: chunksOf(bytes, 64 * 1024, more.read), declaredSize: more.declaredSize })
  const files = () => (existsSync(dir) ? readdirSync(dir).sort() : [])
  return { dataDir, dir, store, conversation, service, origin, upload, files }
}

describe('sniffing a file’s type from its bytes', () => {
  it('tells the types Instagram takes apart, and names others', () => {
    expect(sniff(PNG)).toMatchObject({ mime: 'image/png', type: 'image' })
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({ mime: 'image/jpeg', type: 'image' })
    expect(sniff(Buffer.from('GIF89a....', 'latin1'))).toMatchObject({ mime: 'image/gif', type: 'image' })
    expect(sniff(Buffer.from('%PDF-1.7\n', 'latin1'))).toMatchObject({ mime: 'application/pdf', type: 'file' })
    expect(sniff(Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00', 'latin1'))).toMatchObject({ mime: 'video/mp4', type: 'video' })
    expect(sniff(Buffer.from('\x00\x00\x00\x14ftypqt  ', 'latin1'))).toMatchObject({ mime: 'video/quicktime', type: 'video' })
    expect(sniff(Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'))).toMatchObject({ mime: 'audio/wav', type: 'audio' })
    expect(sniff(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toMatchObject({ mime: 'image/webp', type: 'image' })
    expect(sniff(EXE)).toMatchObject({ mime: 'application/x-msdownload', type: null, description: 'a Windows program' })
    expect(sniff(Buffer.from('PK\x03\x04', 'latin1'))).toMatchObject({ type: null })
    expect(sniff(Buffer.from('hello, plain text'))).toMatchObject({ mime: 'application/octet-stream', type: null })
  })
})

describe('staging a file', () => {
  it('keeps a PNG under outgoing/ by an unguessable id, typed by its bytes, whatever its name says', async () => {
    const { service, upload, files, dir } = await setup()
    const result = await upload(PNG, 'holiday.pdf')
    expect(result).toMatchObject({ ok: true, view: { name: 'holiday.pdf', type: 'image', mime: 'image/png', size: PNG.length, problems: [] } })
    const id = result.ok ? result.view.id : ''
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(files()).toEqual([id, `${id}.json`].sort())
    expect(statSync(join(dir, id)).size).toBe(PNG.length)
    // A second file gets another id.
    const again = await upload(PNG, 'holiday.pdf')
    expect(again.ok && again.view.id).not.toBe(id)
    await service.discard(id)
    expect(files()).toHaveLength(2)
  })

  it('never uses the name as a path', async () => {
    const { upload, files, dataDir } = await setup()
    const result = await upload(PNG, '../../../etc/evil\u0000.png')
    expect(result).toMatchObject({ ok: true, view: { name: 'evil.png' } })
    expect(files().every((name) => /^[A-Za-z0-9_-]{32}(\.json)?$/.test(name))).toBe(true)
    expect(readdirSync(dataDir)).toEqual(['outgoing'])
    const windows = await upload(PNG, 'C:\\Users\\agent\\photo.png')
    expect(windows.ok && windows.view.name).toBe('photo.png')
  })

  it('refuses a program renamed .png (415) and keeps nothing', async () => {
    const { upload, files } = await setup()
    const result = await upload(EXE, 'photo.png')
    expect(result).toMatchObject({ ok: false, status: 415, problem: { code: 'attachment_not_media', params: { name: 'photo.png', kind: 'a Windows program' } } })
    expect(!result.ok && result.problem.message).toContain('“photo.png” is not an image, video, audio or PDF file')
    expect(files()).toEqual([])
  })

  it('says a 9 MB image is over Instagram’s 8 MB and keeps nothing of it', async () => {
    const { upload, files } = await setup({ profile: { ...DEFAULT_CONTENT_PROFILE, maxBytes: 25 * MB } })
    const result = await upload(pngOf(9 * MB), 'big.png')
    expect(result).toMatchObject({ ok: true, view: { type: 'image', size: 9 * MB } })
    const problems = result.ok ? result.view.problems : []
    expect(problems.map((p) => p.code)).toEqual(['attachment_over_instagram_size'])
    expect(problems[0]!.message).toBe('The attachment is 9 MB; Instagram accepts images up to 8 MB.')
    expect(files()).toEqual([])
  })

  it('checks the content profile on the real type', async () => {
    const { upload } = await setup()
    // The default profile sends images only: a PDF is refused, whatever the name.
    const result = await upload(Buffer.from('%PDF-1.4\n' + 'x'.repeat(200), 'latin1'), 'invoice.png')
    expect(result.ok && result.view.problems.map((p) => p.code)).toEqual(['attachment_not_in_profile'])
    const allowed = await setup({ profile: { ...DEFAULT_CONTENT_PROFILE, outbound: ['application/pdf'] } })
    const pdf = await allowed.upload(Buffer.from('%PDF-1.4\n' + 'x'.repeat(200), 'latin1'), 'invoice.png')
    expect(pdf).toMatchObject({ ok: true, view: { type: 'file', mime: 'application/pdf', problems: [] } })
  })

  it('stops reading past Instagram’s largest cap (413); refuses a declared size before reading', async () => {
    const { upload, files } = await setup()
    const read = { bytes: 0 }
    const result = await upload(pngOf(30 * MB), 'huge.png', { read })
    expect(result).toMatchObject({ ok: false, status: 413, problem: { code: 'attachment_too_large', params: { limit: '25 MB' } } })
    expect(read.bytes).toBeLessThanOrEqual(25 * MB + 64 * 1024)
    expect(files()).toEqual([])
    const unread = { bytes: 0 }
    const declared = await upload(pngOf(30 * MB), 'huge.png', { declaredSize: 30 * MB, read: unread })
    expect(declared).toMatchObject({ ok: false, status: 413 })
    expect(unread.bytes).toBe(0)
  })

  it('says Live mode without a public address cannot send files', async () => {
    const { upload, files } = await setup({ origin: null })
    const result = await upload(PNG, 'photo.png')
    expect(result.ok && result.view.problems).toMatchObject([{ code: 'attachment_no_public_address', remedy: expect.stringContaining('Admin → Meta app') }])
    expect(files()).toEqual([])
  })

  it('refuses an unknown conversation (404)', async () => {
    const { service } = await setup()
    expect(await service.upload({ conversationId: 'nope', name: 'a.png', chunks: chunksOf(PNG) })).toMatchObject({ ok: false, status: 404 })
  })

  it('stages the file the desktop dialog chose; a cancelled dialog stages nothing', async () => {
    const picked = join(tempDir('parley-pick-'), 'Kaffee Karte.png')
    writeFileSync(picked, PNG)
    const choice: { path: string | null } = { path: picked }
    const { service, conversation, files } = await setup({ chooser: { choose: async () => choice.path } })
    const result = await service.pick(conversation.id)
    expect(result).toMatchObject({ attachment: { name: 'Kaffee Karte.png', type: 'image', mime: 'image/png', size: PNG.length, problems: [] }, problem: null })
    expect(files()).toHaveLength(2)
    choice.path = null
    expect(await service.pick(conversation.id)).toEqual({ attachment: null, problem: null })
    const exe = join(tempDir('parley-pick-'), 'setup.png')
    writeFileSync(exe, EXE)
    choice.path = exe
    expect(await service.pick(conversation.id)).toMatchObject({ attachment: null, problem: { code: 'attachment_not_media', params: { name: 'setup.png' } } })
    expect(files()).toHaveLength(2)
  })

  it('has no dialog without a host that shows one', async () => {
    const { service, conversation } = await setup()
    await expect(service.pick(conversation.id)).rejects.toMatchObject({ code: 'attachment_no_dialog' })
  })
})

describe('serving a staged file to Meta', () => {
  async function served() {
    const context = await setup()
    const app = new Hono()
    context.service.mount(app)
    const staged = await context.upload(PNG, 'photo.png')
    if (!staged.ok) throw new Error('not staged')
    return { ...context, app, id: staged.view.id }
  }

  it('only while its reply is waiting or sending, with its real type and length', async () => {
    const { app, id, service, store, conversation } = await served()
    // Staged but not in a reply: nothing to fetch.
    expect((await app.request(`/outgoing/${id}`)).status).toBe(404)

    const replyId = 'reply-1'
    const request = await service.replyFor({ id: replyId, conversationId: conversation.id, attachmentId: id })
    expect(request).toMatchObject({ attachment: { stagedId: id, type: 'image', mimeType: 'image/png', sizeBytes: PNG.length } })
    await store.outbox.enqueue({ id: replyId, conversationId: conversation.id, attachment: { type: 'image', url: `parley-staged:${id}`, mime: 'image/png', size: PNG.length } })
    const response = await app.request(`/outgoing/${id}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('content-length')).toBe(String(PNG.length))
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true)

    await store.outbox.claim(replyId, { messagingType: 'RESPONSE' })
    expect((await app.request(`/outgoing/${id}`)).status).toBe(200)
    await store.outbox.markSent(replyId, 'mid-sent-1')
    expect((await app.request(`/outgoing/${id}`)).status).toBe(404)
  })

  it('answers 404 for ids that are not staged ids', async () => {
    const { app } = await served()
    for (const path of ['/outgoing/..%2F..%2Fstore.db', '/outgoing/short', `/outgoing/${'a'.repeat(32)}`, '/outgoing/']) {
      expect((await app.request(path)).status, path).toBe(404)
    }
  })

  it('makes the address from the public origin of the moment', async () => {
    const { service, id, origin } = await served()
    expect(await service.forSender.resolve(id)).toEqual({ url: `http://127.0.0.1:4999/outgoing/${id}` })
    origin.current = 'https://parley.example.com/hooks/'
    expect(await service.forSender.resolve(id)).toEqual({ url: `https://parley.example.com/hooks/outgoing/${id}` })
    origin.current = null
    expect(await service.forSender.resolve(id)).toMatchObject({ problem: { code: 'attachment_no_public_address' } })
    expect(await service.forSender.resolve('x'.repeat(32))).toMatchObject({ problem: { code: 'attachment_missing' } })
  })
})

describe('cleaning up staged files', () => {
  it('at start keeps only files of replies that may still go out', async () => {
    const { service, store, conversation, upload, files, dir } = await setup()
    const stage = async () => {
      const result = await upload(PNG, 'p.png')
      if (!result.ok) throw new Error('not staged')
      return result.view.id
    }
    const [abandoned, waiting, failed, sent, discarded] = [await stage(), await stage(), await stage(), await stage(), await stage()]
    for (const [replyId, id] of [['r-waiting', waiting], ['r-failed', failed], ['r-sent', sent], ['r-discarded', discarded]] as const) {
      await service.replyFor({ id: replyId, conversationId: conversation.id, attachmentId: id })
      await store.outbox.enqueue({ id: replyId, conversationId: conversation.id, attachment: { type: 'image', url: `parley-staged:${id}` } })
    }
    await store.outbox.claim('r-failed', { messagingType: 'RESPONSE' })
    await store.outbox.markFailed('r-failed', { code: 'x', message: 'x' })
    await store.outbox.claim('r-sent', { messagingType: 'RESPONSE' })
    await store.outbox.markSent('r-sent', 'mid-1')
    await store.outbox.discard('r-discarded')
    writeFileSync(join(dir, 'half-copied.part'), 'x')
    writeFileSync(join(dir, `${'b'.repeat(32)}.part`), 'x')

    // abandoned, sent, discarded, and the interrupted copy of an id (the stray file goes too, uncounted)
    expect(await service.start()).toBe(4)
    expect(files()).toEqual([waiting, `${waiting}.json`, failed, `${failed}.json`].sort())
    expect(files()).not.toContain(abandoned)
  })

  it('removes a staged file the agent removed, but not one a reply still needs', async () => {
    const { service, store, conversation, upload, files } = await setup()
    const first = await upload(PNG, 'p.png')
    const second = await upload(PNG, 'q.png')
    if (!first.ok || !second.ok) throw new Error('not staged')
    await service.replyFor({ id: 'r-1', conversationId: conversation.id, attachmentId: second.view.id })
    await store.outbox.enqueue({ id: 'r-1', conversationId: conversation.id, attachment: { type: 'image', url: `parley-staged:${second.view.id}` } })
    await service.discard(first.view.id)
    await service.discard(second.view.id)
    expect(files()).toEqual([second.view.id, `${second.view.id}.json`].sort())
  })

  it('removes files nobody sent after a day, when the next one is staged', async () => {
    let now = 1_000_000
    const { upload, files } = await setup({ now: () => now })
    const old = await upload(PNG, 'old.png')
    now += 25 * 60 * 60 * 1000
    const fresh = await upload(PNG, 'new.png')
    if (!old.ok || !fresh.ok) throw new Error('not staged')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(files()).toEqual([fresh.view.id, `${fresh.view.id}.json`].sort())
  })

  it('refuses a staged file of another conversation, or one already in another reply', async () => {
    const { service, store, conversation, upload } = await setup()
    const other = await conversationFor(store, 'igsid-2')
    const staged = await upload(PNG, 'p.png')
    if (!staged.ok) throw new Error('not staged')
    await expect(service.replyFor({ id: 'r-1', conversationId: other.id, attachmentId: staged.view.id })).rejects.toMatchObject({ code: 'attachment_missing' })
    await service.replyFor({ id: 'r-1', conversationId: conversation.id, attachmentId: staged.view.id })
    await store.outbox.enqueue({ id: 'r-1', conversationId: conversation.id, attachment: { type: 'image', url: `parley-staged:${staged.view.id}` } })
    await expect(service.replyFor({ id: 'r-2', conversationId: conversation.id, attachmentId: staged.view.id })).rejects.toMatchObject({ code: 'attachment_in_use' })
  })
})
