import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { StoryMedia } from '../../../src-main/core/inbox/storyPresenter.ts'
import { mockElectron, type FakeBrowserWindow, type FakeElectron } from './fakeElectron.ts'

beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

const STORY_BYTES = Buffer.from('\x89PNG-story-bytes-for-the-viewer')

async function setUp(platform: NodeJS.Platform) {
  const electron = (await import('electron')) as unknown as FakeElectron
  const viewerModule = await import('../../../src-main/electron/storyViewer.ts')
  const presenter = viewerModule.createDesktopStoryPresenter({ parent: () => null, platform })
  const session = electron.session.fromPartition(viewerModule.STORY_PARTITION)
  let fetches = 0
  const media: StoryMedia = {
    open: async () => {
      fetches++
      return new Response(new Uint8Array(STORY_BYTES), { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'no-store' } })
    },
  }
  const window = () => electron.BrowserWindow.all.at(-1) as FakeBrowserWindow
  /** The viewer's page as Chromium would get it from main, and the one-time media address in it. */
  const page = async (win: FakeBrowserWindow) => {
    const response = await session.protocol.request(win.loaded!)
    const html = await response.text()
    const media = /data-media="([^"]*)"/.exec(html)![1]!
    return { response, html, media }
  }
  return { electron, presenter, session, media, fetches: () => fetches, window, page, ...viewerModule }
}

describe('the protected story viewer (A5, desktop)', () => {
  it('opens on its own in-memory session with content protection set before the page loads, no devtools, no menu', async () => {
    const { presenter, window, media, STORY_PARTITION } = await setUp('darwin')
    presenter.present({ kind: 'mention', language: 'en', media })
    const win = window()
    expect(win.contentProtected).toBe(true)
    expect(win.menu).toBeNull()
    expect(win.options.webPreferences).toMatchObject({
      partition: STORY_PARTITION, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, devTools: false, webviewTag: false,
    })
    expect(STORY_PARTITION).not.toMatch(/^persist:/)
    expect(win.loaded).toMatch(/^parley-story:\/\/viewer\/page\/[\w-]{20,}$/)
    expect(win.shown).toBe(false)
    win.emit('ready-to-show')
    expect(win.shown).toBe(true)
  })

  it('fetches the bytes only when the page asks, through an address that works once', async () => {
    const { presenter, window, media, fetches, page, session } = await setUp('darwin')
    presenter.present({ kind: 'mention', language: 'en', media })
    const { response, media: address } = await page(window())
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(fetches()).toBe(0)
    const first = await session.protocol.request(address)
    expect(first.status).toBe(200)
    expect(Buffer.from(await first.arrayBuffer())).toEqual(STORY_BYTES)
    expect(first.headers.get('cache-control')).toBe('no-store')
    const second = await session.protocol.request(address)
    expect(second.status).toBe(404)
    expect(fetches()).toBe(1)
  })

  it('lets the page neither navigate nor open windows', async () => {
    const { presenter, window, media } = await setUp('win32')
    presenter.present({ kind: 'reply', language: 'en', media })
    const contents = window().webContents
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-redirect', 'parley-story://viewer/page/other')).toBe(true)
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })

  it('on macOS and Windows shows the story at once; on Linux keeps it hidden behind "Click to reveal" and hides it again on blur', async () => {
    const mac = await setUp('darwin')
    mac.presenter.present({ kind: 'mention', language: 'en', media: mac.media })
    const macPage = await mac.page(mac.window())
    expect(macPage.html).toContain('data-protection="os"')
    mac.window().blur()
    expect(mac.window().webContents.executed).toEqual([])

    vi.resetModules()
    vi.doMock('electron', mockElectron)
    const linux = await setUp('linux')
    linux.presenter.present({ kind: 'mention', language: 'en', media: linux.media })
    const linuxPage = await linux.page(linux.window())
    expect(linuxPage.html).toContain('data-protection="reveal"')
    expect(linuxPage.html).toContain('Click to reveal')
    expect(linuxPage.html).toContain('cannot protect windows from screen capture')
    expect(linux.window().contentProtected).toBe(true)
    linux.window().blur()
    expect(linux.window().webContents.executed).toEqual(['window.parleyHideStory && window.parleyHideStory()'])
  })

  it('speaks German when the window does, and says when the story is no longer available', async () => {
    const { presenter, window, page, fetches } = await setUp('linux')
    presenter.present({ kind: 'mention', language: 'de', media: null })
    const { html, media } = await page(window())
    expect(html).toContain('lang="de"')
    expect(html).toContain('data-state="expired"')
    expect(html).toContain('Diese Story ist nicht mehr verfügbar')
    expect(media).toBe('')
    expect(fetches()).toBe(0)
  })

  it('forgets the story when the window closes: the address is dead and the session cleared', async () => {
    const { presenter, window, media, page, session, fetches } = await setUp('darwin')
    presenter.present({ kind: 'mention', language: 'en', media })
    const win = window()
    const { media: address } = await page(win)
    win.close()
    expect((await session.protocol.request(address)).status).toBe(404)
    expect((await session.protocol.request(win.loaded!)).status).toBe(404)
    expect(fetches()).toBe(0)
    expect(session.cleared).toBe(1)
    expect(session.cachesCleared).toBe(1)
  })

  it('shows one story at a time: a second one replaces the first, whose address dies with it', async () => {
    const { presenter, window, media, page, session, electron } = await setUp('darwin')
    presenter.present({ kind: 'mention', language: 'en', media })
    const first = window()
    const { media: firstAddress } = await page(first)
    presenter.present({ kind: 'mention', language: 'en', media })
    expect(first.destroyed).toBe(true)
    expect(electron.BrowserWindow.all).toHaveLength(1)
    expect((await session.protocol.request(firstAddress)).status).toBe(404)
    const { media: secondAddress } = await page(window())
    expect((await session.protocol.request(secondAddress)).status).toBe(200)
  })
})
