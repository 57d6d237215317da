import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { openStore, STORE_FILE_NAME, type NewMessage, type Store, type StoreOptions } from '../../../src-main/core/store/index.ts'

export const IG_ACCOUNT = '17841400000000001'
export const INTEGRATION = 'integration-1'
export const QUEUE = 'queue-default'
export const AGENT = 'agent-local'

const opened: Store[] = []
afterEach(() => {
  for (const store of opened.splice(0)) store.close()
})

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
