/**
 * Where tokens and the app secret live — and nowhere else (X1). Keys are account names within
 * Parley's keychain service, e.g. `meta-app-secret` or `page-token:<pageId>`.
 */
export interface SecretStore {
  /** Which backend holds the secrets, so the UI can warn when it is not the OS keychain. */
  readonly kind: 'keychain' | 'safe-storage' | 'memory' | 'server-key'
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

/**
 * The OS keychain is shared by every Parley installation of this OS user: accounts are prefixed
 * with the installation's id so that two data directories never read each other's tokens.
 */
export function createParleySecrets(store: SecretStore, installationId: string) {
  const account = (name: string) => `${installationId}/${name}`
  const entry = (name: string) => ({
    get: () => store.get(account(name)),
    set: (secret: string) => store.set(account(name), secret),
    delete: () => store.delete(account(name)),
  })
  return {
    kind: store.kind,
    metaAppSecret: entry('meta-app-secret'),
    pageToken: (integrationId: string) => entry(`integration/${integrationId}/page-token`),
    /** A login's long-lived user token, kept until the login ends (S10). */
    loginUserToken: (loginId: string) => entry(`login/${loginId}/user-token`),
    /** The desktop app's session with a Parley server (team mode): never a Meta token. */
    teamSession: (serverUrl: string) => entry(`team-session/${serverUrl}`),
    /** I2: the key an event subscription's deliveries are signed with. */
    subscriptionSecret: (subscriptionId: string) => entry(`subscription/${subscriptionId}/signing-secret`),
  }
}
export type ParleySecrets = ReturnType<typeof createParleySecrets>
