import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mockElectron, type FakeBrowserWindow, type FakeElectron } from './fakeElectron.ts'

beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

async function setUp() {
  const electron = (await import('electron')) as unknown as FakeElectron
  const { createDesktopLoginPresenter, LOGIN_PARTITION } = await import('../../../src-main/electron/loginWindow.ts')
  const loginContents = new WeakSet<object>()
  const presenter = createDesktopLoginPresenter({ loginContents: loginContents as never, parent: () => null })
  const redirects: (string | null)[] = []
  const show = () => presenter.present({ loginId: 'l1', url: 'http://127.0.0.1:4010/v25.0/dialog/oauth?state=s' }, (url) => redirects.push(url))
  const window = () => electron.BrowserWindow.all.at(-1) as FakeBrowserWindow
  return { electron, presenter, redirects, show, window, loginContents, LOGIN_PARTITION }
}

describe('the desktop Facebook login window (S3, S10)', () => {
  it('opens the dialog on its own in-memory, sandboxed session, for the token flow', async () => {
    const { presenter, show, window, loginContents, LOGIN_PARTITION } = await setUp()
    expect(presenter).toMatchObject({ responseType: 'token', redirectUri: 'https://www.facebook.com/connect/login_success.html' })
    expect(show()).toBeNull()
    expect(window().loaded).toBe('http://127.0.0.1:4010/v25.0/dialog/oauth?state=s')
    expect(window().options.webPreferences).toMatchObject({ partition: LOGIN_PARTITION, sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(LOGIN_PARTITION).not.toMatch(/^persist:/)
    expect(loginContents.has(window().webContents)).toBe(true)
  })

  it('catches the redirect to login_success.html before it loads, hands it over once, and closes', async () => {
    const { show, window, redirects, electron } = await setUp()
    show()
    const win = window()
    expect(win.webContents.attempt('will-navigate', 'http://127.0.0.1:4010/dialog/oauth/login')).toBe(false)
    const redirect = 'https://www.facebook.com/connect/login_success.html#access_token=EAAB&state=s'
    expect(win.webContents.attempt('will-redirect', redirect)).toBe(true)
    expect(redirects).toEqual([redirect])
    expect(win.destroyed).toBe(true)
    expect(electron.BrowserWindow.all).toEqual([])
  })

  it('reports a window closed by the person as a cancelled login', async () => {
    const { show, window, redirects } = await setUp()
    show()
    window().close()
    expect(redirects).toEqual([null])
  })

  it('ends the Facebook session by clearing the partition’s storage', async () => {
    const { show, presenter, electron, window, LOGIN_PARTITION } = await setUp()
    show()
    const win = window()
    await presenter.endSession()
    expect(win.destroyed).toBe(true)
    expect(electron.session.fromPartition(LOGIN_PARTITION).cleared).toBe(1)
  })
})
