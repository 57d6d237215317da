import { describe, expect, it } from 'vitest'
import { decoyHash, hashPassword, verifyPassword } from '../../../src-main/core/people/passwords.ts'
import { hashSessionToken, looksLikeSessionToken, newSessionToken } from '../../../src-main/core/people/sessionTokens.ts'

// Cheap parameters keep the test fast; the format and the checks are the same as the defaults'.
const fast = { N: 2 ** 10, r: 8, p: 1 }

describe('passwords', () => {
  it('are kept as a salted scrypt hash that names its parameters, never as themselves', async () => {
    const hash = await hashPassword('correct horse battery', fast)
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(hash).not.toContain('correct horse battery')
    expect(await hashPassword('correct horse battery', fast)).not.toBe(hash)
  })

  it('verify only the same password, ignoring Unicode normalisation', async () => {
    const hash = await hashPassword('Grüße aus Köln', fast)
    expect(await verifyPassword('Grüße aus Köln', hash)).toBe(true)
    expect(await verifyPassword('Gru\u0308ße aus Ko\u0308ln', hash)).toBe(true)
    expect(await verifyPassword('grüße aus köln', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  it('refuse a hash that is not one of ours, or asks for absurd work, without throwing', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false)
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false)
    expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`)).toBe(false)
    expect(await verifyPassword('x', 'scrypt$1024$8$1$AAAA$AAAA')).toBe(false)
  })

  it('have a decoy that matches no password, for unknown usernames', async () => {
    const decoy = await decoyHash()
    expect(await decoyHash()).toBe(decoy)
    expect(await verifyPassword('anything', decoy)).toBe(false)
  })

  it('are hashed with memory-hard defaults (N = 2^15, r = 8)', async () => {
    expect(await hashPassword('a long enough password')).toMatch(/^scrypt\$32768\$8\$1\$/)
  })
})

describe('session tokens', () => {
  it('carry 256 random bits and are stored only as their SHA-256', () => {
    const token = newSessionToken()
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(looksLikeSessionToken(token)).toBe(true)
    expect(hashSessionToken(token)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashSessionToken(token)).not.toContain(token)
    expect(newSessionToken()).not.toBe(token)
  })

  it('refuse anything else before any lookup', () => {
    for (const value of [null, undefined, '', 'short', `${newSessionToken()}x`, 'a'.repeat(42) + '!']) expect(looksLikeSessionToken(value)).toBe(false)
  })
})
