import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PAGES, MARIA, SandboxPerson } from '../../fixtures/sandboxDialog.ts'
import { mockElectron, type FakeBrowserWindow, type FakeElectron } from './fakeElectron.ts'

// The desktop host end to end through the fake Electron: a real core, a real embedded sandbox, a
// real store in PARLEY_DATA_DIR — media through parley-media://, stories in the protected viewer.
beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

let current: FakeElectron | undefined
afterEach(() => void current?.app.emit('before-quit'))

const paths = { preload: '/opt/parley/out/preload/index.cjs', rendererUrl: 'file:///opt/parley/out/renderer/index.html' }
const frame = { parent: null, url: paths.rendererUrl }

async function until(check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(await check()).toBe(true)
}

async function startDesktop() {
  const electron = (await import('electron')) as unknown as FakeElectron
  const { startDesktopApp } = await import('../../../src-main/electron/desktopApp.ts')
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-desktop-media-'))
  current = electron
  startDesktopApp(paths, { PARLEY_DATA_DIR: dataDir, PARLEY_SECRET_STORE: 'memory' })
  const privilegedBeforeReady = electron.protocol.privileged.map((s) => s.scheme)
  electron.app.whenReady()
  electron.app.readyResolve!()
  await until(() => electron.BrowserWindow.all.length > 0)
  const main = electron.BrowserWindow.all[0]!
  const invoke = async <T>(name: string, input?: unknown): Promise<T> => {
    const reply = (await electron.ipcMain.handlers.get('parley:invoke')!({ senderFrame: frame }, { name, input })) as { ok: boolean; value: T; error?: unknown }
    if (!reply.ok) throw new Error(JSON.stringify(reply.error))
    return reply.value
  }
  return { electron, dataDir, main, invoke, privilegedBeforeReady }
}

/** Supervisor connects @nordlicht.kaffee through the desktop login window. */
async function connectNordlicht(electron: FakeElectron, main: FakeBrowserWindow, invoke: <T>(name: string, input?: unknown) => Promise<T>) {
  const { loginId } = await invoke<{ loginId: string }>('login.start', { purpose: 'create' })
  const login = electron.BrowserWindow.all.at(-1)!
  const redirect = await new SandboxPerson(MARIA.email, MARIA.password).complete(login.loaded!, { pageIds: Object.values(PAGES) })
  login.webContents.attempt('will-redirect', redirect)
  await until(() => main.webContents.sent.some(([, m]) => (m as { name: string }).name === 'login.finished'))
  await invoke('integrations.create', { loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
  return new URL(login.loaded!).origin
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('media and stories in the desktop app', () => {
  it('registers its schemes as privileged before ready, and serves parley-media:// on the main window’s session only', async () => {
    const { electron, privilegedBeforeReady } = await startDesktop()
    expect(privilegedBeforeReady).toEqual(['parley-media', 'parley-story'])
    expect(electron.session.defaultSession.protocol.isProtocolHandled('parley-media')).toBe(true)
    const { LOGIN_PARTITION } = await import('../../../src-main/electron/loginWindow.ts')
    expect(electron.session.fromPartition(LOGIN_PARTITION).protocol.isProtocolHandled('parley-media')).toBe(false)
    expect((await electron.session.defaultSession.protocol.request('parley-media://media/avatar/nobody')).status).toBe(404)
    const { DESKTOP_CSP } = await import('../../../src-main/electron/desktopApp.ts')
    expect(DESKTOP_CSP).toContain("img-src 'self' data: parley-media:")
    expect(DESKTOP_CSP).toContain('media-src parley-media:')
  })

  it('shows the customer’s avatar through main, and a story in the protected viewer — leaving neither its URL nor its bytes in the data directory', async () => {
    const { electron, dataDir, main, invoke } = await startDesktop()
    const sandboxUrl = await connectNordlicht(electron, main, invoke)
    const control = async (path: string, body: unknown) =>
      (await fetch(`${sandboxUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ mid: string }>
    await control('inbound', { to: 'nordlicht.kaffee', from: 'lea', text: 'Hello!' })
    const { mid } = await control('inbound', { to: 'nordlicht.kaffee', from: 'lea', story_mention: true })

    type Page = { items: { id: string; customer: { avatarUrl: string | null }; lastMessage: { kind: string } | null }[] }
    let page: Page = { items: [] }
    await until(async () => {
      page = await invoke<Page>('inbox.list', { limit: 10 })
      return page.items[0]?.customer.avatarUrl != null && page.items[0].lastMessage?.kind === 'story_mention'
    })
    const avatar = await electron.session.defaultSession.protocol.request(page.items[0]!.customer.avatarUrl!)
    expect([avatar.status, avatar.headers.get('content-type')]).toEqual([200, 'image/png'])

    expect(await invoke('inbox.openStory', { mid })).toEqual({ opened: true, problem: null })
    const viewer = electron.BrowserWindow.all.at(-1)!
    expect(viewer).not.toBe(main)
    expect(viewer.contentProtected).toBe(true)
    electron.app.emit('web-contents-created', {}, viewer.webContents)
    expect(viewer.webContents.attempt('will-navigate', paths.rendererUrl)).toBe(true)

    const { STORY_PARTITION } = await import('../../../src-main/electron/storyViewer.ts')
    const viewerSession = electron.session.fromPartition(STORY_PARTITION)
    expect(electron.session.defaultSession.protocol.isProtocolHandled('parley-story')).toBe(false)
    const html = await (await viewerSession.protocol.request(viewer.loaded!)).text()
    const address = /data-media="([^"]+)"/.exec(html)![1]!
    const media = await viewerSession.protocol.request(address)
    expect(media.status).toBe(200)
    const bytes = Buffer.from(await media.arrayBuffer())
    expect((await viewerSession.protocol.request(address)).status).toBe(404)
    viewer.close()

    // What Meta's webhook carried: the story's CDN URL.
    const { data } = (await (await fetch(`${sandboxUrl}/__sandbox/webhooks`)).json()) as { data: { body: string }[] }
    const delivery = data.map((d) => d.body).find((body) => body.includes(mid))!
    const storyUrl = (JSON.parse(delivery) as { entry: { messaging: { message: { attachments: { payload: { url: string } }[] } }[] }[] }).entry[0]!.messaging[0]!.message.attachments[0]!.payload.url
    expect(Buffer.from(await (await fetch(storyUrl)).arrayBuffer())).toEqual(bytes)

    electron.app.emit('before-quit')
    current = undefined
    await new Promise((resolve) => setTimeout(resolve, 100))
    const assetId = new URL(storyUrl).searchParams.get('asset_id')!
    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const content = readFileSync(file)
      expect(content.includes(Buffer.from(assetId)), file).toBe(false)
      expect(content.includes(bytes), file).toBe(false)
    }
  })
})
