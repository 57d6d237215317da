import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mockElectron, type FakeElectron } from './fakeElectron.ts'

// A fresh stand-in for 'electron', and fresh modules using it, in every test.
beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

const paths = { preload: '/opt/parley/out/preload/index.cjs', rendererUrl: 'file:///opt/parley/out/renderer/index.html' }

async function start(options: { singleInstance?: boolean; env?: Record<string, string> } = {}) {
  const electron = (await import('electron')) as unknown as FakeElectron
  const { startDesktopApp } = await import('../../../src-main/electron/desktopApp.ts')
  electron.app.singleInstance = options.singleInstance ?? true
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-desktop-'))
  const ready = electron.app.whenReady()
  current = electron
  startDesktopApp(paths, { PARLEY_DATA_DIR: dataDir, ...options.env })
  return { electron, dataDir, ready }
}

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(check()).toBe(true)
}

/** Lets Electron become ready and waits until Parley has booted (it starts the sandbox first). */
async function startAndBeReady() {
  const started = await start()
  started.electron.app.readyResolve!()
  await until(() => started.electron.BrowserWindow.all.length > 0)
  return started
}

// Each booted Parley runs an embedded sandbox: quitting stops it.
let current: FakeElectron | undefined
afterEach(() => void current?.app.emit('before-quit'))

describe('the desktop app', () => {
  it('sandboxes every renderer and keeps its data in PARLEY_DATA_DIR', async () => {
    const { electron, dataDir } = await start()
    expect(electron.app.sandboxEnabled).toBe(true)
    expect(electron.app.paths.userData).toBe(dataDir)
  })

  it('quits at once when another Parley is already running, opening nothing', async () => {
    const { electron } = await start({ singleInstance: false })
    expect(electron.app.quitCalled).toBe(true)
    expect(electron.BrowserWindow.all).toEqual([])
    expect(electron.app.listenerCount('second-instance')).toBe(0)
  })

  it('opens one window with the security baseline once ready', async () => {
    const { electron } = await startAndBeReady()
    expect(electron.BrowserWindow.all).toHaveLength(1)
    const [win] = electron.BrowserWindow.all
    expect(win!.options.webPreferences).toMatchObject({
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    })
    expect(win!.loaded).toBe(paths.rendererUrl)
    expect(win!.shown).toBe(false)
    win!.emit('ready-to-show')
    expect(win!.shown).toBe(true)
    expect(electron.ipcMain.handlers.has('parley:invoke')).toBe(true)
    expect(electron.session.defaultSession.permissionRequest).toBeDefined()
  })

  it('hardens every web contents it creates', async () => {
    const { electron } = await start()
    const { FakeWebContents } = await import('./fakeElectron.ts')
    const contents = new FakeWebContents()
    electron.app.emit('web-contents-created', {}, contents)
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })

  it('serves the contract from the settings file in the data directory', async () => {
    const { electron, dataDir } = await startAndBeReady()
    const handler = electron.ipcMain.handlers.get('parley:invoke')!
    const frame = { parent: null, url: paths.rendererUrl }
    expect(await handler({ senderFrame: frame }, { name: 'settings.set', input: { language: 'de' } })).toMatchObject({ ok: true })
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'))).toMatchObject({ preferences: { language: 'de' } })
    expect(await handler({ senderFrame: frame }, { name: 'app.info' })).toEqual({
      ok: true,
      value: { name: 'Parley', version: '0.1.0', mode: 'sandbox', dataDir },
    })
  })

  it('opens the Facebook login in its own window, which alone may browse the login site', async () => {
    const { electron } = await startAndBeReady()
    const handler = electron.ipcMain.handlers.get('parley:invoke')!
    const reply = (await handler({ senderFrame: { parent: null, url: paths.rendererUrl } }, { name: 'login.start', input: { purpose: 'create' } })) as {
      ok: boolean
      value: { popupUrl: string | null }
    }
    expect(reply).toMatchObject({ ok: true, value: { popupUrl: null } })
    const [main, login] = electron.BrowserWindow.all
    const dialog = new URL(login!.loaded!)
    expect(dialog.pathname).toBe('/v25.0/dialog/oauth')
    expect(dialog.searchParams.get('redirect_uri')).toBe('https://www.facebook.com/connect/login_success.html')
    expect(dialog.searchParams.get('response_type')).toBe('token')

    for (const win of [main!, login!]) electron.app.emit('web-contents-created', {}, win.webContents)
    expect(login!.webContents.attempt('will-navigate', `${dialog.origin}/dialog/oauth/confirm`)).toBe(false)
    expect(login!.webContents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(main!.webContents.attempt('will-navigate', `${dialog.origin}/dialog/oauth`)).toBe(true)
  })

  it('brings the running window forward when launched again', async () => {
    const { electron } = await startAndBeReady()
    const [win] = electron.BrowserWindow.all
    win!.minimized = true
    electron.app.emit('second-instance')
    expect(win!.minimized).toBe(false)
    expect(win!.focused).toBe(true)
    expect(electron.BrowserWindow.all).toHaveLength(1)
  })

  it('says why and quits when Parley cannot start', async () => {
    const { electron } = await start({ env: { PARLEY_SANDBOX_URL: 'http://127.0.0.1:9' } })
    electron.app.readyResolve!()
    await until(() => electron.app.quitCalled)
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Parley could not start', expect.stringContaining('PARLEY_SANDBOX_APP_ID'))
    expect(electron.BrowserWindow.all).toEqual([])
  })

  it('quits when the last window closes (except on macOS), telling windows it stops', async () => {
    const { electron } = await startAndBeReady()
    const [win] = electron.BrowserWindow.all
    electron.app.emit('before-quit')
    expect(win!.webContents.sent).toEqual([['parley:event', { name: 'app.status', payload: { mode: 'sandbox', phase: 'stopping' } }]])
    electron.app.emit('window-all-closed')
    expect(electron.app.quitCalled).toBe(process.platform !== 'darwin')
  })
})
