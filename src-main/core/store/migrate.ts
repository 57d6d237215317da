import type { DatabaseSync } from 'node:sqlite'
import { StoreError } from './errors.ts'
import type { Migration } from './migrations/migration.ts'
import { transaction } from './database.ts'

/**
 * Brings the schema up to date: each pending step in its own transaction, recorded in
 * `schema_migrations`. A database written by a newer Parley is refused rather than guessed at.
 * Returns the schema version now in effect.
 */
export function migrate(db: DatabaseSync, filePath: string, migrations: readonly Migration[], now: () => number): number {
  checkOrder(migrations)
  const known = migrations.at(-1)?.version ?? 0
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version))
  const newest = Math.max(0, ...applied)
  if (newest > known) {
    throw new StoreError('store_too_new', `The inbox database ${filePath} has schema version ${newest}, written by a newer Parley; this version knows up to ${known}. Update Parley to open it. The file was left as it is.`)
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const step of migrations) {
    if (applied.has(step.version)) continue
    try {
      transaction(db, () => {
        db.exec(step.sql)
        record.run(step.version, step.name, now())
      })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new StoreError('store_migration_failed', `Updating the inbox database ${filePath} to schema ${step.version} (${step.name}) failed: ${reason}. Nothing of that step was applied.`, { cause: error })
    }
  }
  return Math.max(newest, known)
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}; expected ${i + 1} (versions are consecutive from 1)`)
  })
}
