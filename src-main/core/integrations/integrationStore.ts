import { z } from 'zod'
import { Integration, type IntegrationHealth } from '../contract/integrations.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'

/** An integration as kept in the settings file: no token in it — those are in the keychain. */
export const StoredIntegration = Integration.extend({
  /** S12: a deleted integration stays, so its conversations remain readable and marked. */
  deletedAt: z.string().nullable(),
})
export type StoredIntegration = z.infer<typeof StoredIntegration>

export const UNCHECKED_HEALTH: IntegrationHealth = {
  tokenValid: null,
  tokenExpiresAt: null,
  tokenNeverExpires: false,
  checkedAt: null,
  lastEventAt: null,
  lastSyncAt: null,
  webhook: 'unknown',
  rateLimitPercent: null,
}

export interface IntegrationStore {
  /** Integrations in use (not deleted), oldest first. */
  list(): StoredIntegration[]
  get(id: string): StoredIntegration | null
  put(integration: StoredIntegration): void
}

const KEY = 'integrations'

export function createIntegrationStore(file: SettingsFile): IntegrationStore {
  const all = (): StoredIntegration[] => {
    const stored = file.get(KEY)
    return Array.isArray(stored) ? stored.flatMap((entry) => StoredIntegration.safeParse(entry).data ?? []) : []
  }
  return {
    list: () => all().filter((i) => i.deletedAt === null),
    get: (id) => all().find((i) => i.id === id) ?? null,
    put(integration) {
      const others = all().filter((i) => i.id !== integration.id)
      file.set(KEY, [...others, StoredIntegration.parse(integration)].sort((a, b) => a.createdAt.localeCompare(b.createdAt)))
    },
  }
}

/** What the window sees: the contract's shape, without the tombstone field. */
export function toView(integration: StoredIntegration): Integration {
  return Integration.parse(integration)
}
