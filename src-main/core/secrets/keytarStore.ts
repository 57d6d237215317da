import { createRequire } from 'node:module'
import { KEYCHAIN_SERVICE, type SecretStore } from './secretStore.ts'

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

/**
 * The OS keychain (macOS Keychain, Windows Credential Vault, libsecret's Secret Service).
 * keytar is an optional dependency: `null` means it is not installed or cannot load here.
 */
export function openKeytarStore(service = KEYCHAIN_SERVICE): SecretStore | null {
  let keytar: Keytar
  try {
    keytar = createRequire(import.meta.url)('keytar') as Keytar
  } catch {
    return null
  }
  return {
    kind: 'keychain',
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
  }
}
