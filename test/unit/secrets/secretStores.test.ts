import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openKeytarStore } from '../../../src-main/core/secrets/keytarStore.ts'
import { createMemorySecretStore, createParleySecrets, type SecretStore } from '../../../src-main/core/secrets/secretStore.ts'
import { selectSecretStore } from '../../../src-main/core/secrets/selectSecretStore.ts'

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

describe('choosing where secrets live (X1)', () => {
  const quiet = { info() {}, warn() {}, error() {} }
  const broken: SecretStore = {
    kind: 'keychain',
    get: async () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')
    },
    set: async () => {},
    delete: async () => false,
  }

  it('is the OS keychain when it answers', async () => {
    const keychain = createMemorySecretStore()
    const chosen = await selectSecretStore({ keychain: Object.assign(keychain, { kind: 'keychain' as const }), log: quiet })
    expect(chosen.kind).toBe('keychain')
  })

  it('falls back to the host’s store when the keychain does not answer, else to memory', async () => {
    const fallback = Object.assign(createMemorySecretStore(), { kind: 'safe-storage' as const })
    expect((await selectSecretStore({ keychain: broken, fallback: () => fallback, log: quiet })).kind).toBe('safe-storage')
    expect((await selectSecretStore({ keychain: broken, fallback: () => null, log: quiet })).kind).toBe('memory')
    expect((await selectSecretStore({ keychain: null, log: quiet })).kind).toBe('memory')
  })

  it('names each installation’s entries apart', async () => {
    const store = createMemorySecretStore()
    await createParleySecrets(store, 'install-a').pageToken('i1').set('token-a')
    expect(await createParleySecrets(store, 'install-b').pageToken('i1').get()).toBeNull()
    expect(await store.get('install-a/integration/i1/page-token')).toBe('token-a')
  })
})
