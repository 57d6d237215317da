import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { openStore, STORE_FILE_NAME, type StoreError } from '../../../src-main/core/store/index.ts'
import { openDatabase } from '../../../src-main/core/store/database.ts'
import { MIGRATIONS } from '../../../src-main/core/store/migrations/index.ts'
import { conversationFor, inbound, openTempStore, reopen, tempDir } from './helpers.ts'

const refusal = (fn: () => unknown): StoreError => {
  try {
    fn()
  } catch (error) {
    return error as StoreError
  }
  throw new Error('expected the store to refuse')
}

function readDirect<T>(filePath: string, sql: string): T[] {
  const db = new DatabaseSync(filePath, { readOnly: true })
  try {
    return db.prepare(sql).all() as T[]
  } finally {
    db.close()
  }
}

describe('opening the inbox database', () => {
  it('creates it, applies every migration once and records each', async () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    const store = reopen(file, { now: () => 1_760_000_000_000 })
    expect(existsSync(file)).toBe(true)
    const applied = readDirect<{ version: number; name: string; applied_at: number }>(file, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: 1_760_000_000_000 })))
    expect((await store.stats()).schemaVersion).toBe(MIGRATIONS.length)
    const tables = readDirect<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((t) => t.name)
    expect(tables).toEqual([
      'agents', 'alerts', 'api_keys', 'content_profiles', 'conversations', 'event_deliveries', 'event_subscription_types', 'event_subscriptions',
      'integrations', 'messages', 'nodes', 'outbox', 'participants', 'people', 'queue_members', 'queues', 'routing_declines', 'routing_events', 'routing_rules', 'schema_migrations',
      'sealed_secrets', 'sessions', 'settings', 'sign_in_throttle', 'sqlite_sequence', 'staged_files', 'sync_cursors', 'withdrawn_mids',
    ])
  })

  it('reopens idempotently, keeping what was stored', async () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    const first = reopen(file)
    const conversation = await conversationFor(first, 'customer-1')
    await first.messages.insertIfNew(inbound('m1', conversation.id, 1_760_000_000_000))
    first.close()
    const second = reopen(file, { now: () => 1 })
    expect(readDirect<{ n: number }>(file, 'SELECT count(*) AS n FROM schema_migrations')[0]!.n).toBe(MIGRATIONS.length)
    expect((await second.messages.get('m1'))?.text).toBe('text of m1')
    expect((await second.conversations.get(conversation.id))?.unreadCount).toBe(1)
  })

  it('applies only the new steps of a later version, each in a transaction', () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    reopen(file).close()
    const next = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'notes', sql: 'CREATE TABLE notes (id TEXT PRIMARY KEY)' }]
    reopen(file, { migrations: next }).close()
    expect(readDirect<{ name: string }>(file, 'SELECT name FROM schema_migrations ORDER BY version').map((r) => r.name)).toEqual([...MIGRATIONS.map((m) => m.name), 'notes'])

    const broken = [...next, { version: next.length + 1, name: 'broken', sql: 'CREATE TABLE half (id TEXT); CREATE TABLE oops (' }]
    const error = refusal(() => openStore(file, { migrations: broken }))
    expect(error.code).toBe('store_migration_failed')
    expect(error.message).toContain(file)
    expect(error.message).toContain('broken')
    // The failed step left nothing behind: not its first table, not its record.
    expect(readDirect<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE name = 'half'")).toEqual([])
    expect(readDirect<{ n: number }>(file, 'SELECT count(*) AS n FROM schema_migrations')[0]!.n).toBe(next.length)
  })

  it('refuses a database written by a newer Parley, and leaves it as it was', () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    reopen(file).close()
    const db = new DatabaseSync(file)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(MIGRATIONS.length + 1, 'from-the-future', 0)
    db.close()
    const before = readFileSync(file)
    const error = refusal(() => openStore(file))
    expect(error.code).toBe('store_too_new')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/newer Parley/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('refuses a file that is not SQLite, naming it, and never overwrites it', () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    writeFileSync(file, 'these are somebody\'s notes, not a database\n'.repeat(10))
    const error = refusal(() => openStore(file))
    expect(error.code).toBe('store_unreadable')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/not an SQLite database/)
    expect(readFileSync(file, 'utf8')).toBe('these are somebody\'s notes, not a database\n'.repeat(10))
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('refuses a damaged SQLite file and leaves its bytes alone', () => {
    const dir = tempDir()
    const file = join(dir, STORE_FILE_NAME)
    reopen(file).close()
    const damaged = readFileSync(file)
    damaged.fill(0xa5, 100, 4096) // page 1 after the header: the schema's own b-tree
    writeFileSync(file, damaged)
    const error = refusal(() => openStore(file))
    expect(error.code).toBe('store_unreadable')
    expect(error.message).toContain(file)
    expect(readFileSync(file).equals(damaged)).toBe(true)
  })

  it('refuses the SQLite database of another application', () => {
    const file = join(tempDir(), STORE_FILE_NAME)
    const other = new DatabaseSync(file)
    other.exec('CREATE TABLE bookmarks (url TEXT)')
    other.close()
    const before = readFileSync(file)
    const error = refusal(() => openStore(file))
    expect(error.code).toBe('store_unreadable')
    expect(error.message).toMatch(/another application/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('puts WAL, synchronous=FULL, secure_delete, foreign keys and a busy timeout in effect', async () => {
    const store = openTempStore()
    await expect(store.messages.insertIfNew(inbound('orphan', 'no-such-conversation', 1))).rejects.toMatchObject({ code: 'not_found' })
    store.close()
    // The same opening code the store uses, on a connection the test can query.
    const db = openDatabase(store.filePath)
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0]
    try {
      expect(pragma('journal_mode')).toBe('wal')
      expect(pragma('synchronous')).toBe(2) // FULL
      expect(pragma('secure_delete')).toBe(1)
      expect(pragma('foreign_keys')).toBe(1)
      expect(pragma('busy_timeout')).toBeGreaterThanOrEqual(1000)
    } finally {
      db.close()
    }
    // WAL is a property of the file: a plain connection sees it too.
    expect(readDirect<{ journal_mode: string }>(store.filePath, 'PRAGMA journal_mode')[0]!.journal_mode).toBe('wal')
  })
})
