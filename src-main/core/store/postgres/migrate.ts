import type pg from 'pg'
import { StoreError } from '../errors.ts'
import type { Migration } from '../migrations/migration.ts'

/** Any number: all Parley nodes take this one advisory lock while they migrate. */
const MIGRATION_LOCK = 7_235_001

/**
 * Brings the schema up to date, each step in its own transaction, recorded in
 * `schema_migrations`. Nodes starting at once take turns (a session-level advisory lock): the
 * first migrates, the others find the work done. A database of a newer Parley is refused.
 */
export async function migrate(pool: pg.Pool, where: string, migrations: readonly Migration[], now: () => number): Promise<number> {
  const known = migrations.at(-1)?.version ?? 0
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)')
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version))
    const newest = Math.max(0, ...applied)
    if (newest > known) {
      throw new StoreError('store_too_new', `The database ${where} has schema version ${newest}, written by a newer Parley; this version knows up to ${known}. Update Parley on this node. Nothing was changed.`)
    }
    for (const step of migrations) {
      if (applied.has(step.version)) continue
      try {
        await client.query('BEGIN')
        await client.query(step.sql)
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [step.version, step.name, now()])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        const reason = error instanceof Error ? error.message : String(error)
        throw new StoreError('store_migration_failed', `Updating the database ${where} to schema ${step.version} (${step.name}) failed: ${reason}. Nothing of that step was applied.`, { cause: error })
      }
    }
    return Math.max(newest, known)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
}

/** The schema version the database is at (for /readyz: current, or behind this node). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
  return rows[0]?.version ?? 0
}
