import { createApiKeyRepository } from './api/apiKeyRepository.ts'
import { createApiReadRepository } from './api/apiReadRepository.ts'
import { createSubscriptionRepository } from './api/subscriptionRepository.ts'
import { randomUUID } from 'node:crypto'
import { createConversationRepository } from './conversations.ts'
import { createCursorRepository } from './cursors.ts'
import { flushErasedContent, openDatabase } from './database.ts'
import { createMessageRepository } from './messages.ts'
import { migrate } from './migrate.ts'
import { MIGRATIONS } from './migrations/index.ts'
import type { Migration } from './migrations/migration.ts'
import { createOutboxRepository } from './outbox.ts'
import { createParticipantRepository } from './participants.ts'
import { createContentProfileRepository, createIntegrationRepository } from './integrationRepositories.ts'
import { createPersonRepository, createSessionRepository, createSignInThrottleRepository } from './peopleRepositories.ts'
import { createNodeRepository, createSealedSecretRepository, createSettingsRepository, createStagedFileRepository } from './serverRepositories.ts'
import type { Store } from './repositories.ts'
import { createQueueRepository } from './routing/queueRepository.ts'
import { createRoutingRepository } from './routing/routingRepository.ts'
import { sqliteRunner } from './routing/steps.ts'
import { readStats } from './stats.ts'

export interface StoreOptions {
  /** Epoch milliseconds; the store stamps receipt, outbox changes and migrations with it. */
  now?: () => number
  newId?: () => string
  /** Tests only: a different list of schema steps. */
  migrations?: readonly Migration[]
}

/**
 * Opens the inbox database (`inbox.sqlite` in Parley's data directory), brings its schema up to
 * date and returns the repositories. Throws a `StoreError` naming the file when it is not a Parley
 * database, is damaged, or was written by a newer Parley — and leaves such a file untouched.
 */
export function openStore(filePath: string, options: StoreOptions = {}): Store {
  const now = options.now ?? Date.now
  const db = openDatabase(filePath)
  let schemaVersion: number
  try {
    schemaVersion = migrate(db, filePath, options.migrations ?? MIGRATIONS, now)
  } catch (error) {
    db.close()
    throw error
  }
  const newId = options.newId ?? randomUUID
  const units = sqliteRunner(db)
  return {
    filePath,
    engine: 'sqlite',
    conversations: createConversationRepository({ db, newId }),
    messages: createMessageRepository({ db, now, newId, afterErase: () => void flushErasedContent(db) }),
    participants: createParticipantRepository({ db }),
    outbox: createOutboxRepository({ db, now }),
    cursors: createCursorRepository({ db }),
    integrations: createIntegrationRepository({ db }),
    contentProfiles: createContentProfileRepository({ db, now }),
    people: createPersonRepository({ db }),
    sessions: createSessionRepository({ db }),
    signInThrottle: createSignInThrottleRepository({ db }),
    sealedSecrets: createSealedSecretRepository({ db }),
    settings: createSettingsRepository({ db }),
    nodes: createNodeRepository({ db }),
    stagedFiles: createStagedFileRepository({ db }),
    queues: createQueueRepository(units),
    routing: createRoutingRepository(units),
    apiKeys: createApiKeyRepository(units),
    subscriptions: createSubscriptionRepository(units),
    apiReads: createApiReadRepository(units),
    stats: async () => readStats(db, filePath, schemaVersion),
    // An open SQLite file is as ready as it gets: it was migrated when opened.
    ready: async () => ({ ready: db.isOpen, ...(db.isOpen ? {} : { reason: 'the store is closed' }) }),
    async close() {
      if (db.isOpen) db.close()
    },
  }
}
