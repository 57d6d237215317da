// P4: the team server's own key for secrets at rest. It is a file the server owns
// (PARLEY_SERVER_KEY_FILE), made on first start with mode 0600, never in the database, never
// logged. Rotation writes the new key beside it first (`.next`), so a rotation cut short is
// finished, not lost, at the next start (see sealedSecretStore.ts).
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

export interface ServerKey {
  /** A fingerprint naming the key in sealed rows; not the key. */
  id: string
  bytes: Buffer
}

const KEY_BYTES = 32
const FILE_PREFIX = 'parley-server-key-v1:'

export class ServerKeyError extends Error {}

export function keyFromBytes(bytes: Buffer): ServerKey {
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes }
}

export function newServerKey(): ServerKey {
  return keyFromBytes(randomBytes(KEY_BYTES))
}

/** Reads a key file, refusing one that others may read or that is not a key. */
export function readServerKey(path: string): ServerKey {
  const mode = statSync(path).mode & 0o777
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new ServerKeyError(`The server key ${path} can be read by other users (mode ${mode.toString(8)}). Run: chmod 600 ${path}`)
  }
  const text = readFileSync(path, 'utf8').trim()
  const bytes = text.startsWith(FILE_PREFIX) ? Buffer.from(text.slice(FILE_PREFIX.length), 'base64') : Buffer.alloc(0)
  if (bytes.length !== KEY_BYTES) throw new ServerKeyError(`${path} is not a Parley server key.`)
  return keyFromBytes(bytes)
}

/** Writes a key file with mode 0600, durably, replacing nothing that exists. */
export function writeServerKey(path: string, key: ServerKey): void {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, `${FILE_PREFIX}${key.bytes.toString('base64')}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  chmodSync(path, 0o600)
}

/** The key at `path`, made on first start when the file does not exist yet. */
export function loadOrCreateServerKey(path: string): { key: ServerKey; created: boolean } {
  if (existsSync(path)) return { key: readServerKey(path), created: false }
  const key = newServerKey()
  writeServerKey(path, key)
  return { key, created: true }
}

/** Where a rotation keeps the next key until every secret is sealed with it. */
export const nextKeyPath = (path: string) => `${path}.next`
/** Where the key before the last rotation stays, for a node that has not restarted yet. */
export const previousKeyPath = (path: string) => `${path}.previous`

/** Makes the next key the current one: `.next` → the key file, the old key → `.previous`. */
export function promoteNextKey(path: string): void {
  const previous = previousKeyPath(path)
  if (existsSync(previous)) renameSync(previous, `${previous}-${Date.now()}`)
  renameSync(path, previous)
  renameSync(nextKeyPath(path), path)
}
