/**
 * Where tokens and the app secret live — and nowhere else (X1). Keys are account names within
 * Parley's keychain service, e.g. `meta-app-secret` or `page-token:<pageId>`.
 */
export interface SecretStore {
  /** Which backend holds the secrets, so the UI can warn when it is not the OS keychain. */
  readonly kind: 'keychain' | 'safe-storage' | 'memory'
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

export const KEYCHAIN_SERVICE = 'Parley'

/** Secrets kept only for the lifetime of the process: tests, and a sandbox without a keychain. */
export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>()
  return {
    kind: 'memory',
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => secrets.delete(account),
  }
}
