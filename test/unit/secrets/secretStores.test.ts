import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openKeytarStore } from '../../../src-main/core/secrets/keytarStore.ts'
import { createMemorySecretStore, type SecretStore } from '../../../src-main/core/secrets/secretStore.ts'

function behavesAsASecretStore(open: () => SecretStore) {
  it('keeps, replaces and forgets a secret', async () => {
    const store = open()
    const account = `test-${randomUUID()}`
    expect(await store.get(account)).toBeNull()
    await store.set(account, 'EAAB-first')
    expect(await store.get(account)).toBe('EAAB-first')
    await store.set(account, 'EAAB-second')
    expect(await store.get(account)).toBe('EAAB-second')
    expect(await store.delete(account)).toBe(true)
    expect(await store.get(account)).toBeNull()
    expect(await store.delete(account)).toBe(false)
  })

  it('keeps accounts apart', async () => {
    const store = open()
    const [a, b] = [`test-${randomUUID()}`, `test-${randomUUID()}`]
    await store.set(a, 'secret-a')
    await store.set(b, 'secret-b')
    expect([await store.get(a), await store.get(b)]).toEqual(['secret-a', 'secret-b'])
    await store.delete(a)
    await store.delete(b)
  })
}

describe('the in-memory secret store', () => {
  behavesAsASecretStore(createMemorySecretStore)
  it('says it is memory, so the UI can warn', () => expect(createMemorySecretStore().kind).toBe('memory'))
})

// CI runs the suite under dbus-run-session with an unlocked gnome-keyring: the real Secret Service.
const hasSecretService = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) && openKeytarStore() !== null
describe.runIf(hasSecretService)('the OS keychain through keytar (real Secret Service)', () => {
  behavesAsASecretStore(() => openKeytarStore(`Parley test ${process.pid}`)!)
  it('says it is the keychain', () => expect(openKeytarStore()!.kind).toBe('keychain'))
})
