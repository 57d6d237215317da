import type { Logger } from '../app/logger.ts'
import { createMemorySecretStore, type SecretStore } from './secretStore.ts'

/**
 * X1: the OS keychain when it answers; else the host's fallback (Electron's safeStorage); else
 * memory only — which the window shows as a warning, since secrets are then gone at restart.
 */
export async function selectSecretStore(options: {
  keychain: SecretStore | null
  fallback?: () => SecretStore | null
  log: Logger
}): Promise<SecretStore> {
  if (options.keychain) {
    try {
      // A locked or absent Secret Service fails here, not in the middle of saving an integration.
      await options.keychain.get('parley-keychain-probe')
      return options.keychain
    } catch (error) {
      options.log.warn('the OS keychain did not answer; falling back', { error: (error as Error).message })
    }
  }
  const fallback = options.fallback?.()
  if (fallback) return fallback
  options.log.warn('secrets are kept in memory only: integrations must be reconnected after a restart')
  return createMemorySecretStore()
}
