import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seal, unseal } from '../../../src-main/core/secrets/sealedSecretStore.ts'
import { loadOrCreateServerKey, newServerKey, readServerKey, ServerKeyError } from '../../../src-main/core/secrets/serverKey.ts'

const keyFile = () => join(mkdtempSync(join(tmpdir(), 'parley-key-')), 'server.key')

describe('the server key', () => {
  it('is made on first start with mode 0600 and read back the same afterwards', () => {
    const path = keyFile()
    const first = loadOrCreateServerKey(path)
    expect(first.created).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const again = loadOrCreateServerKey(path)
    expect(again.created).toBe(false)
    expect(again.key.id).toBe(first.key.id)
    expect(again.key.bytes.equals(first.key.bytes)).toBe(true)
    // The file holds the key, the id is only a fingerprint of it.
    expect(readFileSync(path, 'utf8')).not.toContain(first.key.id)
  })

  it('refuses a key file others can read, and a file that is not a key', () => {
    const path = keyFile()
    loadOrCreateServerKey(path)
    chmodSync(path, 0o644)
    expect(() => readServerKey(path)).toThrow(ServerKeyError)
    expect(() => readServerKey(path)).toThrow(/chmod 600/)
    const other = keyFile()
    writeFileSync(other, 'hello', { mode: 0o600 })
    expect(() => readServerKey(other)).toThrow(/not a Parley server key/)
  })
})

describe('sealing a secret (AES-256-GCM)', () => {
  it('opens with the same key and name only, and never shows the secret', () => {
    const key = newServerKey()
    const sealed = seal(key, 'meta-app-secret', 'abcdef0123456789abcdef0123456789', 1)
    expect(JSON.stringify(sealed)).not.toContain('abcdef0123456789abcdef0123456789')
    expect(sealed.keyId).toBe(key.id)
    expect(unseal(key, sealed)).toBe('abcdef0123456789abcdef0123456789')
    expect(() => unseal(newServerKey(), sealed)).toThrow(ServerKeyError)
    // A row copied under another name does not open: the name is bound in.
    expect(() => unseal(key, { ...sealed, name: 'integration/x/page-token' })).toThrow(/does not open/)
    const flipped = Buffer.from(sealed.ciphertext, 'base64')
    flipped[0] = flipped[0]! ^ 1
    expect(() => unseal(key, { ...sealed, ciphertext: flipped.toString('base64') })).toThrow(/changed/)
  })

  it('uses a fresh nonce each time', () => {
    const key = newServerKey()
    expect(seal(key, 'a', 'same', 1).iv).not.toBe(seal(key, 'a', 'same', 1).iv)
  })
})
