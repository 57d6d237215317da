// A workstation upgraded from the version that kept integrations and content profiles in
// config.json: its first start moves them into the store — nothing lost, nothing doubled, also
// when it stopped half-way — and an entry that cannot be read is kept aside, not dropped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import { createStderrLogger } from '../../../src-main/core/app/logger.ts'
import { createIntegrationStore } from '../../../src-main/core/integrations/integrationStore.ts'
import { moveSettingsIntoStore, type StoredIntegration } from '../../../src-main/core/store/index.ts'
import { SETTINGS_FILE_NAME } from '../../../src-main/core/settings/settingsFile.ts'
import { openTempStore, tempDir } from './helpers.ts'

const nordlicht: StoredIntegration = {
  id: '5f1c0d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f', name: 'Nordlicht DMs', pageId: '100000000000101', pageName: 'Nordlicht Kaffeerösterei',
  instagram: { id: '17841400000000101', username: 'nordlicht.kaffee' }, status: 'active', problem: null, contentProfileId: 'photos-only',
  storyMentions: true, storyReplies: false, createdAt: '2026-11-20T09:00:00.000Z', deletedAt: null,
  health: { tokenValid: true, tokenExpiresAt: null, tokenNeverExpires: true, checkedAt: '2026-11-30T09:00:00.000Z', lastEventAt: null, lastSyncAt: null, webhook: 'subscribed', rateLimitPercent: 3 },
}
const hafenblick: StoredIntegration = { ...nordlicht, id: '6a2d1e0f-3c4b-4d5e-9fa0-1b2c3d4e5f60', name: 'Hafenblick', pageId: '100000000000102', instagram: { id: '17841400000000102', username: 'hafenblick' }, deletedAt: '2026-11-25T10:00:00.000Z', contentProfileId: 'default' }
const photosOnly = { id: 'photos-only', name: 'Photos only', inbound: ['image/*'], outbound: ['image/jpeg', 'image/png'], maxBytes: 8_000_000 }

/** config.json as the previous version wrote it, on disk, opened the way the browser host opens it. */
function oldConfig(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-upgrade-'))
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    installationId: 'b1f0c7e2-1111-4222-8333-944455556666', preferences: { language: 'de', theme: 'dark' },
    integrations: [nordlicht, hafenblick], contentProfiles: [photosOnly], ...extra,
  }))
  return { dir, file: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: SETTINGS_FILE_NAME, projectName: 'parley' }) }
}
const quiet = () => createStderrLogger(new Writable({ write: (_c, _e, done) => done() }))

describe('upgrading a workstation', () => {
  it('moves every integration (tombstones included) and profile into the store, then out of config.json', async () => {
    const config = oldConfig()
    const store = openTempStore({ dir: tempDir() })
    expect(await moveSettingsIntoStore(config.file(), store, quiet())).toBe(3)
    expect(await store.integrations.listAll()).toEqual([nordlicht, hafenblick])
    expect(await store.contentProfiles.list()).toEqual([photosOnly])
    const after = JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8'))
    expect(after).toEqual({ installationId: 'b1f0c7e2-1111-4222-8333-944455556666', preferences: { language: 'de', theme: 'dark' } })
    // What the app reads from now on: the store.
    expect((await createIntegrationStore(store.integrations)).list().map((i) => i.name)).toEqual(['Nordlicht DMs'])
    expect(await moveSettingsIntoStore(config.file(), store, quiet())).toBe(0)
  })

  it('finishes a move that stopped half-way without doubling or losing anything', async () => {
    const config = oldConfig()
    const store = openTempStore({ dir: tempDir() })
    // The first start stored one integration and stopped before clearing the file.
    await store.integrations.put(nordlicht)
    await moveSettingsIntoStore(config.file(), store, quiet())
    expect((await store.integrations.listAll()).map((i) => i.id)).toEqual([nordlicht.id, hafenblick.id])
    expect(await store.contentProfiles.list()).toEqual([photosOnly])
  })

  it('keeps an entry it cannot read aside in config.json, says so, and moves the rest', async () => {
    const config = oldConfig({ integrations: [nordlicht, { id: 'half', name: 42 }] })
    const store = openTempStore({ dir: tempDir() })
    const lines: string[] = []
    await moveSettingsIntoStore(config.file(), store, createStderrLogger(new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) })))
    expect((await store.integrations.listAll()).map((i) => i.id)).toEqual([nordlicht.id])
    const after = JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8'))
    expect(after.integrationsUnreadable).toEqual([{ id: 'half', name: 42 }])
    expect(after.integrations).toBeUndefined()
    expect(lines.join('')).toContain('integrationsUnreadable')
  })
})
