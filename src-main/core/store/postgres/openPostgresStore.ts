import { createApiKeyRepository } from '../api/apiKeyRepository.ts'
import { createApiReadRepository } from '../api/apiReadRepository.ts'
import { createSubscriptionRepository } from '../api/subscriptionRepository.ts'
import { randomUUID } from 'node:crypto'
import type { Logger } from '../../app/logger.ts'
import { StoreError } from '../errors.ts'
import { createQueueRepository } from '../routing/queueRepository.ts'
import { createRoutingRepository } from '../routing/routingRepository.ts'
import { postgresRunner } from '../routing/steps.ts'
import type { Migration } from '../migrations/migration.ts'
import type { Store, StoreStats } from '../repositories.ts'
import { createPool, describeConnectionError, isUnreachable, query } from './database.ts'
import { createPgConversationRepository, createPgCursorRepository, createPgMessageRepository, createPgParticipantRepository } from './inboxRepositories.ts'
import { migrate, schemaVersion } from './migrate.ts'
import { POSTGRES_MIGRATIONS } from './migrations/index.ts'
import { createPgOutboxRepository } from './outboxRepository.ts'
import {
  createPgContentProfileRepository, createPgIntegrationRepository, createPgNodeRepository, createPgPersonRepository, createPgSealedSecretRepository,
  createPgSessionRepository, createPgSettingsRepository, createPgSignInThrottleRepository, createPgStagedFileRepository,
} from './teamRepositories.ts'

export interface PostgresStoreOptions {
  now?: () => number
  newId?: () => string
  log?: Logger
  /** Connections this node keeps to the database. */
  poolSize?: number
  /** Tests only: a different list of schema steps. */
  migrations?: readonly Migration[]
}

/** The server and database, never the password. */
function describe(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`
  } catch {
    return 'the database'
  }
}

/**
 * The team server's store: the same repositories as a workstation's SQLite file, on PostgreSQL,
 * shared by every node. Migrated at open (nodes starting at once take turns). An unreachable or
 * missing database is refused with plain words (`store_unreachable`), never a driver's trace.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now
  const newId = options.newId ?? randomUUID
  const where = describe(url)
  const pool = createPool(url, options.poolSize ?? 10)
  let version: number
  try {
    version = await migrate(pool, where, options.migrations ?? POSTGRES_MIGRATIONS, now)
  } catch (error) {
    await pool.end().catch(() => {})
    if (error instanceof StoreError) throw error
    throw new StoreError('store_unreachable', `The database ${where} cannot be used: ${describeConnectionError(error)}.`, { cause: error })
  }
  const known = (options.migrations ?? POSTGRES_MIGRATIONS).at(-1)?.version ?? 0
  let closed = false
  const units = postgresRunner(pool)

  async function stats(): Promise<StoreStats> {
    const count = async (table: string, where = '') => Number((await query<{ n: number }>(pool, `SELECT count(*) AS n FROM ${table} ${where}`)).rows[0]!.n)
    const size = Number((await query<{ n: number }>(pool, 'SELECT pg_database_size(current_database()) AS n')).rows[0]!.n)
    return {
      schemaVersion: version,
      rows: {
        conversations: await count('conversations'),
        participants: await count('participants'),
        messages: await count('messages'),
        withdrawnMessages: await count('messages', 'WHERE withdrawn_at IS NOT NULL'),
        outbox: await count('outbox'),
        outboxUnsent: await count('outbox', "WHERE state <> 'sent'"),
        syncCursors: await count('sync_cursors'),
      },
      // PostgreSQL keeps its own files: the database's size stands for them.
      files: { database: size, wal: 0, shm: 0 },
      pages: { size: 8192, count: Math.ceil(size / 8192), free: 0 },
    }
  }

  return {
    filePath: where,
    engine: 'postgres',
    conversations: createPgConversationRepository({ pool, newId }),
    messages: createPgMessageRepository({ pool, now, newId }),
    participants: createPgParticipantRepository({ pool }),
    outbox: createPgOutboxRepository({ pool, now }),
    cursors: createPgCursorRepository({ pool }),
    integrations: createPgIntegrationRepository({ pool }),
    contentProfiles: createPgContentProfileRepository({ pool, now }),
    people: createPgPersonRepository({ pool }),
    sessions: createPgSessionRepository({ pool }),
    signInThrottle: createPgSignInThrottleRepository({ pool }),
    sealedSecrets: createPgSealedSecretRepository({ pool }),
    settings: createPgSettingsRepository({ pool }),
    nodes: createPgNodeRepository({ pool }),
    stagedFiles: createPgStagedFileRepository({ pool }),
    queues: createQueueRepository(units),
    routing: createRoutingRepository(units),
    apiKeys: createApiKeyRepository(units),
    subscriptions: createSubscriptionRepository(units),
    apiReads: createApiReadRepository(units),
    stats,
    async ready() {
      if (closed) return { ready: false, reason: 'the store is closed' }
      try {
        const current = await schemaVersion(pool)
        return current === known ? { ready: true } : { ready: false, reason: `the database is at schema ${current}; this node expects ${known}` }
      } catch (error) {
        return { ready: false, reason: isUnreachable(error) ? 'PostgreSQL cannot be reached' : describeConnectionError(error) }
      }
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
