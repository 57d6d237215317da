import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mockElectron, type FakeElectron } from './fakeElectron.ts'

beforeEach(() => {
  vi.resetModules()
  vi.doMock('electron', mockElectron)
})

async function setUp() {
  const electron = (await import('electron')) as unknown as FakeElectron
  const { openSafeStorageStore } = await import('../../../src-main/electron/safeStorageStore.ts')
  const file = join(mkdtempSync(join(tmpdir(), 'parley-safe-')), 'secrets.enc.json')
  return { electron, file, open: (allow = false) => openSafeStorageStore(electron.safeStorage as never, file, allow) }
}

describe('the safeStorage secret store (when keytar cannot reach the keychain)', () => {
  it('writes only ciphertext, and reads it back', async () => {
    const { open, file } = await setUp()
    const store = open()!
    expect(store.kind).toBe('safe-storage')
    await store.set('a/page-token', 'EAAB-secret-token')
    expect(readFileSync(file, 'utf8')).not.toContain('EAAB-secret-token')
    expect(await store.get('a/page-token')).toBe('EAAB-secret-token')
    expect(await open()!.get('a/page-token')).toBe('EAAB-secret-token')
    expect(await store.delete('a/page-token')).toBe(true)
    expect(await store.get('a/page-token')).toBeNull()
    expect(await store.delete('a/page-token')).toBe(false)
  })

  it('is not used when the OS offers no encryption', async () => {
    const { open, electron } = await setUp()
    electron.safeStorage.available = false
    expect(open(true)).toBeNull()
  })

  it.runIf(process.platform === 'linux')('refuses the unprotected basic_text backend unless the person accepted it', async () => {
    const { open, electron } = await setUp()
    electron.safeStorage.backend = 'basic_text'
    expect(open(false)).toBeNull()
    expect(open(true)?.kind).toBe('safe-storage')
  })
})
