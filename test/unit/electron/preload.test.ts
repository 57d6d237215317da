import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ParleyBridge } from '../../../src-main/core/contract/index.ts'
import { mockElectron, type FakeElectron } from './fakeElectron.ts'

// A fresh stand-in for 'electron', and fresh modules using it, in every test.
beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

async function loadPreload() {
  const electron = (await import('electron')) as unknown as FakeElectron
  await import('../../../src-main/electron/preload.ts')
  return electron
}

describe('the preload', () => {
  it('exposes exactly one object, window.parley, with invoke and on', async () => {
    const electron = await loadPreload()
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['parley'])
    expect(Object.keys(electron.contextBridge.exposed.get('parley')!)).toEqual(['invoke', 'on'])
  })

  it('sends commands on its own channel only', async () => {
    const electron = await loadPreload()
    const bridge = electron.contextBridge.exposed.get('parley') as ParleyBridge
    await bridge.invoke('settings.set', { language: 'de' })
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('parley:invoke', { name: 'settings.set', input: { language: 'de' } })
  })

  it('delivers events and stops when unsubscribed, without handing out the IPC event', async () => {
    const electron = await loadPreload()
    const bridge = electron.contextBridge.exposed.get('parley') as ParleyBridge
    const received: unknown[][] = []
    const off = bridge.on((...args: unknown[]) => received.push(args))
    const message = { name: 'app.status', payload: { mode: 'sandbox', phase: 'ready' } }
    electron.ipcRenderer.emit('parley:event', { sender: 'ipc internals' }, message)
    off()
    electron.ipcRenderer.emit('parley:event', {}, message)
    expect(received).toEqual([[message]])
    expect(electron.ipcRenderer.listenerCount('parley:event')).toBe(0)
  })
})
