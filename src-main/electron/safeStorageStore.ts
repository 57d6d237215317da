import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { SafeStorage } from 'electron'
import type { SecretStore } from '../core/secrets/secretStore.ts'

export const SAFE_STORAGE_FILE = 'secrets.enc.json'

/**
 * Electron's safeStorage, for machines where keytar cannot reach the OS keychain: each secret is
 * encrypted with a key the OS keeps, and only ciphertext is written. On Linux without a keyring
 * Chromium falls back to `basic_text` — a fixed key, i.e. no protection — which is refused unless
 * the person accepted an unprotected store (`"secrets": {"allowUnprotected": true}` in config.json).
 */
export function openSafeStorageStore(safeStorage: SafeStorage, filePath: string, allowUnprotected: boolean): SecretStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' && !allowUnprotected) return null

  const read = (): Record<string, string> => (existsSync(filePath) ? (JSON.parse(readFileSync(filePath, 'utf8')) as Record<string, string>) : {})
  const write = (entries: Record<string, string>) => {
    // Write aside, then rename: a crash mid-write never leaves a half file.
    writeFileSync(`${filePath}.tmp`, JSON.stringify(entries), { mode: 0o600 })
    renameSync(`${filePath}.tmp`, filePath)
  }
  return {
    kind: 'safe-storage',
    async get(account) {
      const sealed = read()[account]
      return sealed === undefined ? null : safeStorage.decryptString(Buffer.from(sealed, 'base64'))
    },
    async set(account, secret) {
      write({ ...read(), [account]: safeStorage.encryptString(secret).toString('base64') })
    },
    async delete(account) {
      const entries = read()
      if (!(account in entries)) return false
      delete entries[account]
      write(entries)
      return true
    },
  }
}
