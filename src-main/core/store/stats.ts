import type { DatabaseSync } from 'node:sqlite'
import { fileSize } from './database.ts'
import type { StoreStats } from './repositories.ts'

/** Counts and sizes for the diagnostic bundle (T3). Never a row's content. */
export function readStats(db: DatabaseSync, filePath: string, schemaVersion: number): StoreStats {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
  const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0] ?? 0
  return {
    schemaVersion,
    rows: {
      conversations: count('SELECT count(*) AS n FROM conversations'),
      participants: count('SELECT count(*) AS n FROM participants'),
      messages: count('SELECT count(*) AS n FROM messages'),
      withdrawnMessages: count('SELECT count(*) AS n FROM messages WHERE withdrawn_at IS NOT NULL'),
      outbox: count('SELECT count(*) AS n FROM outbox'),
      outboxUnsent: count("SELECT count(*) AS n FROM outbox WHERE state <> 'sent'"),
      syncCursors: count('SELECT count(*) AS n FROM sync_cursors'),
    },
    files: { database: fileSize(filePath), wal: fileSize(`${filePath}-wal`), shm: fileSize(`${filePath}-shm`) },
    pages: { size: pragma('page_size'), count: pragma('page_count'), free: pragma('freelist_count') },
  }
}
