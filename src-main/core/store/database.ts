// The SQLite file itself: refusing what is not ours, the pragmas, transactions, and making freed
// content really leave the files. Everything SQLite-specific lives here; repositories use plain SQL.
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { StoreError } from './errors.ts'

export const STORE_FILE_NAME = 'inbox.sqlite'

/** Every SQLite 3 file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
const BUSY_TIMEOUT_MS = 5000

/**
 * Opens (or creates) the database with WAL, `synchronous=FULL` (a stored message survives power
 * loss), `secure_delete=ON` (freed content is zeroed) and foreign keys. A file that is not an
 * SQLite database, or is damaged, is refused by name and never written to.
 */
export function openDatabase(filePath: string): DatabaseSync {
  refuseForeignFile(filePath)
  mkdirSync(dirname(filePath), { recursive: true })
  let db: DatabaseSync
  try {
    db = new DatabaseSync(filePath, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true })
  } catch (error) {
    throw unreadable(filePath, error)
  }
  let tables: string[]
  try {
    // A read first: a damaged file fails here, before any pragma or migration could write to it.
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
  } catch (error) {
    db.close()
    throw unreadable(filePath, error)
  }
  if (tables.length > 0 && !tables.includes('schema_migrations')) {
    db.close()
    throw new StoreError('store_unreadable', `${filePath} is an SQLite database of another application (it has tables but no Parley schema). The file was left as it is.`)
  }
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string }
  if (mode.journal_mode !== 'wal') {
    db.close()
    throw new StoreError('store_unreadable', `The inbox database ${filePath} cannot use write-ahead logging (journal mode stays "${mode.journal_mode}"). Is it on a network drive?`)
  }
  db.exec('PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;')
  return db
}

function refuseForeignFile(filePath: string): void {
  if (!existsSync(filePath)) return
  const stat = statSync(filePath)
  if (!stat.isFile()) throw new StoreError('store_unreadable', `The inbox database ${filePath} is not a file.`)
  if (stat.size === 0) return // SQLite treats an empty file as a new database.
  const head = Buffer.alloc(SQLITE_HEADER.length)
  const fd = openSync(filePath, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new StoreError('store_unreadable', `${filePath} is not an SQLite database, so Parley cannot read its inbox from it. The file was left as it is; move it elsewhere to start with an empty inbox.`)
  }
}

function unreadable(filePath: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error)
  return new StoreError('store_unreadable', `The inbox database ${filePath} cannot be read (${reason}). The file was left as it is; move it elsewhere to start with an empty inbox.`, { cause: error })
}

/**
 * Runs `fn` in one write transaction. BEGIN IMMEDIATE takes the write lock up front, so a second
 * connection waits (busy_timeout) instead of failing half-way. Nested calls join the outer one.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return fn()
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    db.exec('COMMIT')
    return result
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  }
}

/**
 * After content was erased: secure_delete has zeroed it in the page, but the WAL still holds
 * earlier images of that page. A TRUNCATE checkpoint copies the new pages into the database file
 * and empties the WAL. Returns false when another connection's reader kept it from completing.
 */
export function flushErasedContent(db: DatabaseSync): boolean {
  const result = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number }
  return result.busy === 0
}

export function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0
}

/** A row pointed at something that does not exist (e.g. a message for an unknown conversation). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Error && /FOREIGN KEY constraint failed/i.test(error.message)
}
