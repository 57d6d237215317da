import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createCoreBridge } from '../../fixtures/coreBridge.ts'
import { FakeBrowserWindow, mockElectron, type FakeElectron } from './fakeElectron.ts'

// A fresh stand-in for 'electron', and fresh modules using it, in every test.
beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

const APP = 'file:///opt/parley/out/renderer/index.html'

async function setUp() {
  const electron = (await import('electron')) as unknown as FakeElectron
  const { registerContractIpc } = await import('../../../src-main/electron/ipc.ts')
  const { createAppUrlCheck } = await import('../../../src-main/electron/security.ts')
  const core = await createCoreBridge()
  const windows: FakeBrowserWindow[] = []
  const dispose = registerContractIpc(electron.ipcMain as never, core.parley, createAppUrlCheck(APP), () => windows as never)
  const invoke = (frame: unknown, request: unknown) => electron.ipcMain.handlers.get('parley:invoke')!({ senderFrame: frame }, request)
  return { electron, core, windows, dispose, invoke }
}

describe('the contract over IPC', () => {
  it('answers Parley’s own window', async () => {
    const { invoke } = await setUp()
    expect(await invoke({ parent: null, url: APP }, { name: 'settings.set', input: { language: 'de' } })).toEqual({
      ok: true,
      value: { language: 'de', theme: 'system' },
    })
  })

  it('refuses any other sender without running the command', async () => {
    const { invoke, core } = await setUp()
    const reply = await invoke({ parent: null, url: 'https://evil.example/' }, { name: 'settings.set', input: { language: 'de' } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(core.parley.dispatcher).toBeDefined()
    expect(await invoke({ parent: null, url: APP }, { name: 'settings.get' })).toEqual({ ok: true, value: { language: 'en', theme: 'system' } })
    expect(await invoke({ parent: { url: APP }, url: APP }, { name: 'app.info' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it.each([null, 'app.info', 42, []])('answers a malformed request (%j) with a typed error', async (request) => {
    const { invoke } = await setUp()
    expect(await invoke({ parent: null, url: APP }, request)).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
  })

  it('forwards events to Parley’s windows only', async () => {
    const { core, windows } = await setUp()
    const own = new FakeBrowserWindow({})
    await own.loadURL(APP)
    const foreign = new FakeBrowserWindow({})
    await foreign.loadURL('https://www.facebook.com/dialog/oauth')
    const closed = new FakeBrowserWindow({})
    await closed.loadURL(APP)
    closed.destroyed = true
    windows.push(own, foreign, closed)
    core.parley.stop()
    const event = { name: 'app.status', payload: { mode: 'sandbox', phase: 'stopping' } }
    expect(own.webContents.sent).toEqual([['parley:event', event]])
    expect(foreign.webContents.sent).toEqual([])
    expect(closed.webContents.sent).toEqual([])
  })

  it('can be taken down again', async () => {
    const { electron, dispose } = await setUp()
    dispose()
    expect(electron.ipcMain.handlers.has('parley:invoke')).toBe(false)
  })
})
