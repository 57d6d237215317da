import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContentProfileView, InboxPage, ThreadView } from '../../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox, until } from '../../../fixtures/coreOnSandbox.ts'

// The media route through main (issue 5, item 3) on a real core and a real sandbox CDN.
const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
})
afterEach(() => core.close())

const inbox = () => core.call<InboxPage>('inbox.list', { limit: 50 })
const thread = (conversationId: string) => core.call<ThreadView>('inbox.thread', { conversationId, limit: 50 })
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer())

/** Lea writes; resolves once Parley holds the conversation with her profile. */
async function leaWrites(body: Record<string, unknown>) {
  const sent = (await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', ...body })) as { mid: string }
  const page = await until(inbox, (p) => p.items[0]?.customer.avatarUrl != null)
  const conversationId = page.items[0]!.id
  const view = await until(() => thread(conversationId), (t) => t.messages.some((m) => m.mid === sent.mid))
  return { mid: sent.mid, conversationId, view, message: view.messages.find((m) => m.mid === sent.mid)! }
}

/** The CDN URL the sandbox put in the webhook for this message (what Parley stored). */
async function webhookUrlOf(mid: string): Promise<string> {
  const { data } = (await (await fetch(`${core.sandbox.url}/__sandbox/webhooks`)).json()) as { data: { body: string }[] }
  for (const delivery of data) {
    const body = JSON.parse(delivery.body) as { entry: { messaging?: { message?: { mid: string; attachments?: { payload: { url: string } }[] } }[] }[] }
    for (const event of body.entry.flatMap((e) => e.messaging ?? [])) {
      if (event.message?.mid === mid) return event.message.attachments![0]!.payload.url
    }
  }
  throw new Error(`no webhook for ${mid}`)
}

describe('the media route (avatars and attachments through main)', () => {
  it('gives the desktop window parley-media:// addresses and the browser /media/ ones — never a CDN URL', async () => {
    await core.connectNordlicht()
    const { conversationId, mid, view } = await leaWrites({ text: 'A photo for you', attachment: { type: 'image' } })
    expect(view.conversation.customer.avatarUrl).toBe(`parley-media://media/avatar/${encodeURIComponent(conversationId)}`)
    expect(view.messages.find((m) => m.mid === mid)!.attachments).toEqual([
      { type: 'image', mime: null, name: null, url: `parley-media://media/attachment/${encodeURIComponent(mid)}/0`, blocked: false },
    ])
    core.parley.setHost('browser')
    const again = await thread(conversationId)
    expect(again.conversation.customer.avatarUrl).toBe(`/media/avatar/${encodeURIComponent(conversationId)}`)
    expect(again.messages.find((m) => m.mid === mid)!.attachments[0]!.url).toBe(`/media/attachment/${encodeURIComponent(mid)}/0`)
    expect(JSON.stringify([again, await inbox()])).not.toContain(core.sandbox.url)
  })

  it('streams the avatar and the image from the CDN, unchanged, with no-store', async () => {
    await core.connectNordlicht()
    const { conversationId, mid } = await leaWrites({ attachment: { type: 'image' } })
    const avatar = await core.parley.media.serve(`avatar/${encodeURIComponent(conversationId)}`)
    expect(avatar.status).toBe(200)
    expect(avatar.headers.get('content-type')).toBe('image/png')
    expect(avatar.headers.get('cache-control')).toBe('no-store')
    expect((await bytesOf(avatar)).subarray(1, 4).toString('latin1')).toBe('PNG')

    const image = await core.parley.media.serve(`attachment/${encodeURIComponent(mid)}/0`)
    expect(image.status).toBe(200)
    expect(image.headers.get('cache-control')).toBe('no-store')
    expect(image.headers.get('x-content-type-options')).toBe('nosniff')
    const upstream = await bytesOf(await fetch(await webhookUrlOf(mid)))
    expect(await bytesOf(image)).toEqual(upstream)
  })

  it('never serves what the content profile blocks, and the thread marks it blocked without an address', async () => {
    const integration = await core.connectNordlicht()
    const { mid, conversationId } = await leaWrites({ attachment: { type: 'image' } })
    const videoOnly = await core.call<ContentProfileView>('contentProfiles.save', { name: 'Video only', inbound: ['video/*'], outbound: ['image/png'], maxBytes: 1_000_000 })
    await core.call('integrations.update', { id: integration.id, contentProfileId: videoOnly.id })
    const attachment = (await thread(conversationId)).messages.find((m) => m.mid === mid)!.attachments[0]!
    expect(attachment).toMatchObject({ blocked: true, url: null })
    const refused = await core.parley.media.serve(`attachment/${encodeURIComponent(mid)}/0`)
    expect(refused.status).toBe(403)
    expect(await refused.text()).not.toContain('cdn')
  })

  it('never serves a story mention, and knows nothing of addresses it did not give', async () => {
    await core.connectNordlicht()
    const { conversationId } = await leaWrites({ text: 'hi' })
    const mention = (await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', story_mention: true })) as { mid: string }
    const view = await until(() => thread(conversationId), (t) => t.messages.some((m) => m.mid === mention.mid))
    expect(view.messages.find((m) => m.mid === mention.mid)).toMatchObject({ kind: 'story_mention', attachments: [] })
    for (const path of [`attachment/${encodeURIComponent(mention.mid)}/0`, 'attachment/unknown-mid/0', 'avatar/unknown-conversation', 'avatar', '../config.json', 'attachment/x/999']) {
      expect((await core.parley.media.serve(path)).status, path).toBe(404)
    }
  })

  it('answers an expired upstream with 410, a non-media type with 415, an oversized file with 413', async () => {
    await core.connectNordlicht()
    const cdn = `${core.sandbox.url}/cdn`
    const serveFirst = async (attachment: Record<string, unknown>) => {
      const { mid } = await leaWrites({ attachment })
      return core.parley.media.serve(`attachment/${encodeURIComponent(mid)}/0`)
    }
    const expired = await serveFirst({ type: 'image', url: `${cdn}/ig_messaging_cdn/?asset_id=1234&signature=gone` })
    expect([expired.status, expired.headers.get('x-parley-media')]).toEqual([410, 'expired'])
    const text = await serveFirst({ type: 'file', url: `${cdn}/synthetic/200/notes.txt` })
    expect([text.status, text.headers.get('x-parley-media')]).toEqual([415, 'unsupported_type'])
    const huge = await serveFirst({ type: 'video', url: `${cdn}/synthetic/30000000/long.mp4` })
    expect([huge.status, huge.headers.get('x-parley-media')]).toEqual([413, 'too_large'])
    const pdf = await serveFirst({ type: 'file', url: `${cdn}/synthetic/300/menu.pdf` })
    expect([pdf.status, pdf.headers.get('content-type'), pdf.headers.get('content-disposition')]).toEqual([200, 'application/pdf', 'attachment'])
    expect((await bytesOf(pdf)).length).toBe(300)
    // Refusals are logged without the CDN address.
    expect(core.logLines.join('\n')).not.toContain('/cdn/')
  })
})
