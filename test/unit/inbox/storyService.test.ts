import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ThreadView } from '../../../src-main/core/contract/index.ts'
import type { StoryPresentation } from '../../../src-main/core/inbox/storyPresenter.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'

// A5, S9: "View story" on a real core and a real sandbox, with a presenter that records what the
// desktop viewer would be given.
const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
let shown: StoryPresentation[]
let storeFile: string
beforeEach(async () => {
  core = await startCoreOnSandbox()
  shown = []
  core.parley.setStoryPresenter({ present: (story) => void shown.push(story) })
  storeFile = core.store.filePath
})
afterEach(() => core.close())

/** Lea sends something; resolves once Parley has stored it. */
async function leaSends(body: Record<string, unknown>): Promise<string> {
  const { mid } = (await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', ...body })) as { mid: string }
  await until(
    async () => (await core.store.messages.get(mid)) !== null,
    (stored) => stored,
  )
  return mid
}

/** The story's CDN URL as the sandbox sent it in the webhook (Parley never kept it). */
async function storyUrlOf(mid: string): Promise<string> {
  const { data } = (await (await fetch(`${core.sandbox.url}/__sandbox/webhooks`)).json()) as { data: { body: string }[] }
  for (const delivery of data) {
    for (const entry of (JSON.parse(delivery.body) as { entry: { messaging?: { message?: Record<string, unknown> & { mid: string } }[] }[] }).entry) {
      for (const event of entry.messaging ?? []) {
        const message = event.message as { mid: string; attachments?: { payload: { url: string } }[]; reply_to?: { story?: { url: string } } } | undefined
        if (message?.mid !== mid) continue
        const url = message.attachments?.[0]?.payload.url ?? message.reply_to?.story?.url
        if (url) return url
      }
    }
  }
  throw new Error(`no story URL for ${mid}`)
}

const open = (mid: string) => core.call<{ opened: boolean; problem: { code: string; message: string } | null }>('inbox.openStory', { mid })

/** Every file of the store (database, WAL, journal) as bytes. */
function storeBytes(): Buffer {
  const dir = dirname(storeFile)
  return Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))))
}

describe('opening a story (A5)', () => {
  it('fetches the story URL from Graph at that moment and hands the viewer a way to stream it — the URL goes nowhere else', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    const url = await storyUrlOf(mid)
    const result = await open(mid)
    expect(result).toEqual({ opened: true, problem: null })
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({ kind: 'mention', language: 'en' })
    const media = await shown[0]!.media!.open()
    expect([media.status, media.headers.get('content-type'), media.headers.get('cache-control')]).toEqual([200, 'image/png', 'no-store'])
    const bytes = Buffer.from(await media.arrayBuffer())
    expect(bytes).toEqual(Buffer.from(await (await fetch(url)).arrayBuffer()))

    const thread = await core.call<ThreadView>('inbox.thread', { conversationId: (await core.store.messages.get(mid))!.conversationId, limit: 50 })
    const everywhere = [JSON.stringify(result), JSON.stringify(thread), JSON.stringify(core.events), core.logLines.join('\n')].join('\n')
    expect(everywhere).not.toContain(url)
    expect(everywhere).not.toContain(new URL(url).searchParams.get('asset_id')!)
    const stored = storeBytes()
    expect(stored.includes(Buffer.from(url))).toBe(false)
    expect(stored.includes(Buffer.from(new URL(url).searchParams.get('asset_id')!))).toBe(false)
    expect(stored.includes(bytes)).toBe(false)
  })

  it('opens a reply to the business’s story the same way', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ text: 'Love this!', reply_to: { story: true } })
    expect(await open(mid)).toEqual({ opened: true, problem: null })
    expect(shown[0]!.kind).toBe('reply')
    expect((await shown[0]!.media!.open()).status).toBe(200)
  })

  it('says "This story is no longer available" once 24 h have passed — in the thread and in the viewer', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    await core.control('clock', { advance: '24h1m' })
    const result = await open(mid)
    expect(result).toEqual({ opened: false, problem: { code: 'story.expired', message: 'This story is no longer available', remedy: null } })
    expect(shown).toEqual([{ kind: 'mention', language: 'en', media: null }])
  })

  it('streams nothing once the story expired after the viewer was opened (410)', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    expect((await open(mid)).opened).toBe(true)
    await core.control('clock', { advance: '25h' })
    const media = await shown[0]!.media!.open()
    expect([media.status, media.headers.get('x-parley-media')]).toEqual([410, 'expired'])
  })

  it('refuses when the integration’s S9 switch is off', async () => {
    const integration = await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    await core.call('integrations.update', { id: integration.id, storyMentions: false })
    const result = await open(mid)
    expect(result).toMatchObject({ opened: false, problem: { code: 'story.switched_off_mention' } })
    expect(shown).toEqual([])
  })

  it('never shows a story in the browser host, and refuses messages that are not stories', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    const text = await leaSends({ text: 'just words' })
    expect(await open(text)).toMatchObject({ opened: false, problem: { code: 'story.not_a_story' } })
    await expect(open('no-such-mid')).rejects.toMatchObject({ code: 'not_found' })
    core.parley.setHost('browser')
    expect(await open(mid)).toMatchObject({ opened: false, problem: { code: 'story.browser_host' } })
    expect(shown).toEqual([])
  })

  it('passes Graph’s reason on when the story cannot be fetched', async () => {
    await core.connectNordlicht()
    const mid = await leaSends({ story_mention: true })
    await core.control('faults', { path: `/${mid}`, status: 500, times: 10 })
    const result = await open(mid)
    expect(result.opened).toBe(false)
    expect(result.problem!.code).toMatch(/^temporary\./)
    expect(shown).toEqual([])
  })
})
