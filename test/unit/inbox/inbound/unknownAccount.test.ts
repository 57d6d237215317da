// Events for an account this process does not know yet: on a team server another node may have
// connected it a moment ago, and its first webhook can reach this node before that node's
// announcement does. The integrations are read once more before anything is dropped.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { IntegrationDirectory, IntegrationTarget } from '../../../../src-main/core/inbox/inbound/directory.ts'
import { createIngest } from '../../../../src-main/core/inbox/inbound/ingest.ts'
import { openStore, STORE_FILE_NAME, type Store } from '../../../../src-main/core/store/index.ts'
import { memoryLog } from './harness.ts'

const NEW_ACCOUNT = '17841400000000001'
const STRAY_ACCOUNT = '17841400000000002'
const target: IntegrationTarget = { integrationId: 'int-new', pageId: '1010', storyMentions: true, storyReplies: true }

const dm = (igAccountId: string, mid: string) => ({
  object: 'instagram',
  entry: [{ id: igAccountId, time: 1_760_000_000_000, messaging: [{ sender: { id: '6600000000000001' }, recipient: { id: igAccountId }, timestamp: 1_760_000_000_000, message: { mid, text: 'Hallo' } }] }],
})

const stores: Store[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
})

function setUp() {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'parley-unknown-')), STORE_FILE_NAME))
  stores.push(store)
  // What this node knows of the integrations; another node's new one appears only when read again.
  const known = new Map<string, IntegrationTarget>()
  let refreshes = 0
  const directory: IntegrationDirectory = {
    byInstagramAccount: (igId) => known.get(igId) ?? null,
    pageToken: async () => null,
    refresh: async () => {
      refreshes++
      known.set(NEW_ACCOUNT, target)
    },
  }
  const { log, lines } = memoryLog()
  const ingest = createIngest({ store, directory, graph: () => null, log, now: () => 1_760_000_000_000 })
  return { ingest, lines, refreshes: () => refreshes }
}

describe('events for an account not known yet', () => {
  it('are stored once the integrations, read again, know it', async () => {
    const { ingest, refreshes } = setUp()
    expect(await ingest.webhook(dm(NEW_ACCOUNT, 'm-1'))).toMatchObject({ stored: 1, dropped: 0 })
    expect(refreshes()).toBe(1)
    // Known from then on: no more reading again.
    expect(await ingest.webhook(dm(NEW_ACCOUNT, 'm-2'))).toMatchObject({ stored: 1, dropped: 0 })
    expect(refreshes()).toBe(1)
  })

  it('are dropped, and said so, when no integration uses the account even then', async () => {
    const { ingest, lines, refreshes } = setUp()
    expect(await ingest.webhook(dm(STRAY_ACCOUNT, 'm-3'))).toMatchObject({ stored: 0, dropped: 1 })
    expect(refreshes()).toBe(1)
    expect(lines.some((line) => line.includes('no integration uses') && line.includes(STRAY_ACCOUNT))).toBe(true)
  })
})
