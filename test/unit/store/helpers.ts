import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe } from 'vitest'
import { openPostgresStore, openStore, STORE_FILE_NAME, type NewMessage, type Store, type StoreOptions } from '../../../src-main/core/store/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'

export const IG_ACCOUNT = '17841400000000001'
export const INTEGRATION = 'integration-1'
export const QUEUE = 'queue-default'
export const AGENT = 'agent-local'

const opened: Store[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

export const ENGINES = ['sqlite', 'postgres'] as const
export type Engine = (typeof ENGINES)[number]
export type OpenStore = (options?: Pick<StoreOptions, 'now' | 'newId'>) => Promise<Store>

/** A fresh, empty store of this engine: SQLite on disk in a temp directory, or a new PostgreSQL database. */
export async function openEngine(engine: Engine, options: Pick<StoreOptions, 'now' | 'newId'> = {}): Promise<Store> {
  if (engine === 'sqlite') {
    const store = openStore(join(tempDir(), STORE_FILE_NAME), options)
    opened.push(store)
    return store
  }
  const url = await createTestDatabase()
  const store = await openPostgresStore(url, options)
  pgUrls.set(store.filePath, url)
  opened.push(store)
  return store
}

/** Another connection to the same store, as a second node (or a second process on one file) has. */
export async function openAgain(engine: Engine, store: Store, options: Pick<StoreOptions, 'now' | 'newId'> = {}): Promise<Store> {
  const again = engine === 'sqlite' ? openStore(store.filePath, options) : await openPostgresStore(pgUrlOf(store), options)
  opened.push(again)
  return again
}

const pgUrls = new Map<string, string>()
/** The database URL of a PostgreSQL store opened by `openEngine`. */
export function pgUrlOf(store: Store): string {
  const url = pgUrls.get(store.filePath)
  if (!url) throw new Error('this PostgreSQL store was not opened by openEngine')
  return url
}

/**
 * The repository contract: the same cases against SQLite and PostgreSQL. `open` gives each case a
 * fresh, empty store of the engine under test.
 */
export function describeStore(name: string, cases: (open: OpenStore, engine: Engine) => void): void {
  describe.each(ENGINES)(`${name} — %s`, (engine) => cases((options) => openEngine(engine, options), engine))
}

export function tempDir(prefix = 'parley-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A store on disk in a fresh temp directory (closed after each test). */
export function openTempStore(options: StoreOptions & { dir?: string } = {}): Store {
  return reopen(join(options.dir ?? tempDir(), STORE_FILE_NAME), options)
}

export function reopen(filePath: string, options: StoreOptions = {}): Store {
  const store = openStore(filePath, options)
  opened.push(store)
  return store
}

export async function conversationFor(store: Store, customerIgsid: string, at = 1_760_000_000_000, agent: string | null = AGENT) {
  const { conversation } = await store.conversations.upsertForInbound({
    integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid, queueId: QUEUE, assignedAgentId: agent, at,
  })
  return conversation
}

export function inbound(mid: string, conversationId: string, createdAt: number, text: string | null = `text of ${mid}`): NewMessage {
  return { mid, conversationId, direction: 'inbound', kind: 'text', text, createdAt }
}
