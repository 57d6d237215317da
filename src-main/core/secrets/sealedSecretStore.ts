// P4: the team server's SecretStore. Each secret is sealed with AES-256-GCM under the server key,
// its name bound in as associated data (a row copied under another name does not open), and only
// the sealed row reaches the database. Several nodes share the rows; each reads the key file.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { isStoreError, type SealedSecret, type SealedSecretRepository } from '../store/index.ts'
import type { SecretStore } from './secretStore.ts'
import { nextKeyPath, previousKeyPath, promoteNextKey, readServerKey, ServerKeyError, newServerKey, writeServerKey, type ServerKey } from './serverKey.ts'

export function seal(key: ServerKey, name: string, secret: string, at: number): SealedSecret {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv)
  cipher.setAAD(Buffer.from(name, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return { name, keyId: key.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64'), updatedAt: at }
}

export function unseal(key: ServerKey, row: SealedSecret): string {
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(row.iv, 'base64'))
  decipher.setAAD(Buffer.from(row.name, 'utf8'))
  decipher.setAuthTag(Buffer.from(row.tag, 'base64'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(row.ciphertext, 'base64')), decipher.final()]).toString('utf8')
  } catch {
    throw new ServerKeyError(`The sealed secret "${row.name}" does not open with the server key: it was changed, or sealed under another key.`)
  }
}

/** The key file and, while a rotation is under way or just done, the keys beside it. */
export function readKeyring(path: string): Map<string, ServerKey> {
  const ring = new Map<string, ServerKey>()
  for (const candidate of [path, nextKeyPath(path), previousKeyPath(path)]) {
    if (!existsSync(candidate)) continue
    const key = readServerKey(candidate)
    ring.set(key.id, key)
  }
  return ring
}

export interface SealedSecretStoreOptions {
  repository: SealedSecretRepository
  keyFile: string
  now?: () => number
}

export function createSealedSecretStore(options: SealedSecretStoreOptions): SecretStore {
  const now = options.now ?? Date.now
  let current = readServerKey(options.keyFile)
  let ring = readKeyring(options.keyFile)

  /** A row sealed under a key this node has not read yet: another node rotated. Read the files again. */
  function keyFor(row: SealedSecret): ServerKey {
    let key = ring.get(row.keyId)
    if (!key) {
      current = readServerKey(options.keyFile)
      ring = readKeyring(options.keyFile)
      key = ring.get(row.keyId)
    }
    if (!key) throw new ServerKeyError(`The secret "${row.name}" is sealed with a server key this node does not have. Copy the key file from the node where "rotate-key" ran, then restart.`)
    return key
  }

  return {
    kind: 'server-key',
    async get(name) {
      const row = await options.repository.get(name)
      return row ? unseal(keyFor(row), row) : null
    },
    async set(name, secret) {
      // The key file as it is now: after a rotation on this machine, new secrets take the new key.
      current = readServerKey(options.keyFile)
      await options.repository.put(seal(current, name, secret, now()))
    },
    delete: (name) => options.repository.delete(name),
  }
}

/**
 * `npm run server -- rotate-key`: every secret re-sealed under a new key in one transaction. The new
 * key is written beside the old one first and promoted only after the database holds it, so a
 * rotation cut short at any point leaves every secret readable (the keyring reads both files). A
 * secret another node saves meanwhile makes the step start again.
 */
export async function rotateServerKey(repository: SealedSecretRepository, keyFile: string, now: () => number = Date.now): Promise<{ resealed: number; keyId: string }> {
  const ring = readKeyring(keyFile)
  const nextFile = nextKeyPath(keyFile)
  if (!existsSync(nextFile)) writeServerKey(nextFile, newServerKey())
  const next = readServerKey(nextFile)
  ring.set(next.id, next)
  for (let attempt = 1; ; attempt++) {
    const rows = await repository.list()
    const changes = rows.map((before) => {
      const key = ring.get(before.keyId)
      if (!key) throw new ServerKeyError(`The secret "${before.name}" is sealed with a key that is not here; nothing was changed.`)
      return { before, after: seal(next, before.name, unseal(key, before), now()) }
    })
    try {
      await repository.reseal(changes, next.id)
      promoteNextKey(keyFile)
      return { resealed: changes.length, keyId: next.id }
    } catch (error) {
      if (!isStoreError(error, 'conflict') || attempt >= 5) throw error
    }
  }
}
