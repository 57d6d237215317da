import { beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeWebContents, mockElectron, type FakeElectron } from './fakeElectron.ts'

// A fresh stand-in for 'electron', and fresh modules using it, in every test.
beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

async function load() {
  const electron = (await import('electron')) as unknown as FakeElectron
  const security = await import('../../../src-main/electron/security.ts')
  return { electron, ...security }
}

const APP = 'file:///opt/parley/resources/app/out/renderer/index.html'
const appOnly = (isApp: (url: string) => boolean) => (_contents: unknown, url: string) => isApp(url)

describe('every web contents', () => {
  it('may not navigate or redirect away from Parley’s own page', async () => {
    const { hardenWebContents, createAppUrlCheck } = await load()
    const contents = new FakeWebContents()
    hardenWebContents(contents as never, appOnly(createAppUrlCheck(APP)))
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-navigate', `${APP}#/admin`)).toBe(false)
  })

  it('may not attach a <webview>', async () => {
    const { hardenWebContents, createAppUrlCheck } = await load()
    const contents = new FakeWebContents()
    hardenWebContents(contents as never, appOnly(createAppUrlCheck(APP)))
    expect(contents.attempt('will-attach-webview', '')).toBe(true)
  })

  it('opens no window of its own; allowed help links go to the system browser', async () => {
    const { hardenWebContents, createAppUrlCheck, electron } = await load()
    const contents = new FakeWebContents()
    hardenWebContents(contents as never, appOnly(createAppUrlCheck(APP)))
    for (const url of ['https://help.instagram.com/502981923235522', 'https://evil.example/', 'javascript:alert(1)', 'http://www.facebook.com/']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1)
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://help.instagram.com/502981923235522')
  })
})

describe('the Facebook login window', () => {
  it('may browse Facebook over https and the sandbox, nothing else', async () => {
    const { createLoginSiteCheck } = await load()
    const isLoginSite = createLoginSiteCheck(() => 'http://127.0.0.1:4010')
    expect(isLoginSite('http://127.0.0.1:4010/v25.0/dialog/oauth?client_id=1')).toBe(true)
    expect(isLoginSite('https://www.facebook.com/login/device-based/regular/login/')).toBe(true)
    expect(isLoginSite('https://m.facebook.com/checkpoint/')).toBe(true)
    expect(isLoginSite('http://www.facebook.com/')).toBe(false)
    expect(isLoginSite('https://facebook.com.evil.example/')).toBe(false)
    expect(isLoginSite('http://127.0.0.1:4011/')).toBe(false)
    expect(isLoginSite('file:///etc/passwd')).toBe(false)
  })
})

describe('the session', () => {
  it('refuses every permission request and check, and sends the CSP', async () => {
    const { hardenSession, electron } = await load()
    const session = electron.session.defaultSession
    hardenSession(session as never, "default-src 'none'")
    const answers: boolean[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      session.permissionRequest!({}, permission, (ok) => answers.push(ok))
    }
    expect(answers).toEqual([false, false, false, false])
    expect(session.permissionCheck!({}, 'media')).toBe(false)
    let response: unknown
    session.headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (response = r))
    expect(response).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ["default-src 'none'"] } })
  })
})

describe('trusted IPC senders', () => {
  it('are the top frame of a page that is Parley’s own', async () => {
    const { isTrustedSender, createAppUrlCheck } = await load()
    const isApp = createAppUrlCheck(APP)
    expect(isTrustedSender({ parent: null, url: `${APP}#/inbox` } as never, isApp)).toBe(true)
    expect(isTrustedSender({ parent: {}, url: APP } as never, isApp)).toBe(false)
    expect(isTrustedSender({ parent: null, url: 'https://evil.example/' } as never, isApp)).toBe(false)
    expect(isTrustedSender({ parent: null, url: 'file:///tmp/other.html' } as never, isApp)).toBe(false)
    expect(isTrustedSender(null, isApp)).toBe(false)
  })

  it('match the dev server by origin while developing', async () => {
    const { createAppUrlCheck } = await load()
    const isApp = createAppUrlCheck('http://localhost:5173/')
    expect(isApp('http://localhost:5173/src/main.ts')).toBe(true)
    expect(isApp('http://localhost:5174/')).toBe(false)
    expect(isApp('not a url')).toBe(false)
  })
})
