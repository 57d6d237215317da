import { ParleyError } from '../contract/errors.ts'
import { Integration, type IntegrationHealth } from '../contract/integrations.ts'
import { isStoreError, StoredIntegration, type IntegrationChanges, type IntegrationRepository } from '../store/index.ts'

export { StoredIntegration }

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

/**
 * The integrations as core reads them: kept in the store (the one source of truth, shared by a
 * team's nodes), read from memory. Every event names an Instagram account and every inbox row an
 * integration, so reads must not cost a query; writes go to the store first and then refresh the
 * copy, and a node refreshes it too when another node announces a change (`refresh`).
 */
export interface IntegrationStore {
  /** Integrations in use (not deleted), oldest first. */
  list(): StoredIntegration[]
  /** By id, deleted ones included (S12). */
  get(id: string): StoredIntegration | null
  /** Creates or replaces; a page already used by another integration is refused (S6). */
  put(integration: StoredIntegration): Promise<StoredIntegration>
  update(id: string, changes: IntegrationChanges): Promise<StoredIntegration>
  /** Reads the store again: at start, and when another node changed an integration. */
  refresh(): Promise<void>
}

export async function createIntegrationStore(repository: IntegrationRepository): Promise<IntegrationStore> {
  let all: StoredIntegration[] = []
  const refresh = async () => {
    all = await repository.listAll()
  }
  await refresh()
  const written = async (write: Promise<StoredIntegration>) => {
    try {
      const stored = await write
      await refresh()
      return stored
    } catch (error) {
      if (isStoreError(error, 'conflict')) throw new ParleyError('page_already_integrated', 'This page is already used by another integration. More pages need more integrations.')
      throw error
    }
  }
  return {
    list: () => all.filter((i) => i.deletedAt === null),
    get: (id) => all.find((i) => i.id === id) ?? null,
    put: (integration) => written(repository.put(StoredIntegration.parse(integration))),
    update: (id, changes) => written(repository.update(id, changes)),
    refresh,
  }
}

/** What the window sees: the contract's shape, without the tombstone field. */
export function toView(integration: StoredIntegration): Integration {
  return Integration.parse(integration)
}
