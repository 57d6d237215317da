import { describe, expect, it } from 'vitest'
import { UNCHECKED_HEALTH } from '../../../src-main/core/integrations/integrationStore.ts'
import type { SealedSecret, StoredIntegration } from '../../../src-main/core/store/index.ts'
import { conversationFor, describeStore, openAgain } from './helpers.ts'

const T0 = 1_760_000_000_000
const HOUR = 3_600_000
const hash = (n: number) => n.toString(16).padStart(64, '0')
const PASSWORD_HASH = 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5'

function integration(id: string, pageId: string, overrides: Partial<StoredIntegration> = {}): StoredIntegration {
  return {
    id, name: `Integration ${id}`, pageId, pageName: `Page ${pageId}`, instagram: { id: `ig-${pageId}`, username: `shop_${pageId}` },
    status: 'active', problem: null, contentProfileId: 'default', storyMentions: true, storyReplies: true,
    createdAt: new Date(T0 + Number(id.replace(/\D/g, '') || 0)).toISOString(), deletedAt: null, health: UNCHECKED_HEALTH, ...overrides,
  }
}

describeStore('integrations (S1–S13)', (open) => {
  it('keep the whole record, list those in use oldest first, and find one by its Instagram account', async () => {
    const store = await open()
    await store.integrations.put(integration('i2', 'p2'))
    await store.integrations.put(integration('i1', 'p1'))
    expect((await store.integrations.list()).map((i) => i.id)).toEqual(['i1', 'i2'])
    expect(await store.integrations.get('i1')).toEqual(integration('i1', 'p1'))
    expect((await store.integrations.byInstagramAccount('ig-p2'))?.id).toBe('i2')
    expect(await store.integrations.byInstagramAccount('ig-none')).toBeNull()
  })

  it('change named fields only, keep deleted ones as tombstones, and free their page', async () => {
    const store = await open()
    await store.integrations.put(integration('i1', 'p1'))
    const renamed = await store.integrations.update('i1', { name: 'Nordlicht DMs', storyMentions: false })
    expect(renamed).toMatchObject({ name: 'Nordlicht DMs', storyMentions: false, pageId: 'p1', storyReplies: true })
    await store.integrations.update('i1', { deletedAt: new Date(T0).toISOString() })
    expect(await store.integrations.list()).toEqual([])
    expect(await store.integrations.byInstagramAccount('ig-p1')).toBeNull()
    expect((await store.integrations.listAll()).map((i) => [i.id, i.deletedAt !== null])).toEqual([['i1', true]])
    await store.integrations.put(integration('i3', 'p1'))
    await expect(store.integrations.update('nope', { name: 'x' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('refuse a second integration in use for one page (S6) and a record that is not one', async () => {
    const store = await open()
    await store.integrations.put(integration('i1', 'p1'))
    await expect(store.integrations.put(integration('i2', 'p1'))).rejects.toMatchObject({ code: 'conflict' })
    await expect(store.integrations.put({ ...integration('i3', 'p3'), status: 'sleepy' } as never)).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await store.integrations.listAll()).map((i) => i.id)).toEqual(['i1'])
  })
})

describeStore('content profiles (S8)', (open) => {
  it('are kept, changed and deleted; names are unique whatever their case', async () => {
    let at = T0
    const store = await open({ now: () => at++ })
    const photos = { id: 'photos', name: 'Photos', inbound: ['image/*'], outbound: ['image/png'], maxBytes: 8_000_000 }
    await store.contentProfiles.put(photos)
    await store.contentProfiles.put({ id: 'docs', name: 'Documents', inbound: ['application/pdf'], outbound: [], maxBytes: 1000 })
    expect((await store.contentProfiles.list()).map((p) => p.id)).toEqual(['photos', 'docs'])
    expect(await store.contentProfiles.put({ ...photos, name: 'Pictures' })).toMatchObject({ name: 'Pictures' })
    await expect(store.contentProfiles.put({ ...photos, id: 'other', name: 'DOCUMENTS' })).rejects.toMatchObject({ code: 'conflict' })
    expect(await store.contentProfiles.delete('docs')).toBe(true)
    expect(await store.contentProfiles.delete('docs')).toBe(false)
    expect(await store.contentProfiles.get('photos')).toMatchObject({ name: 'Pictures', inbound: ['image/*'] })
  })
})

describeStore('people (P2)', (open) => {
  it('have unique usernames whatever their case, and are found for sign-in the same way', async () => {
    const store = await open()
    const anna = await store.people.create({ username: 'Anna.Berg', name: 'Anna Berg', role: 'supervisor', passwordHash: PASSWORD_HASH }, T0)
    expect(anna).toMatchObject({ username: 'anna.berg', role: 'supervisor', messageCapacity: 4, active: true, createdAt: T0, preferences: {} })
    await expect(store.people.create({ username: 'ANNA.BERG', name: 'Other Anna', role: 'agent', passwordHash: PASSWORD_HASH }, T0)).rejects.toMatchObject({ code: 'conflict' })
    expect(await store.people.credentials('ANNA.berg')).toEqual({ person: anna, passwordHash: PASSWORD_HASH })
    expect(await store.people.credentials('nobody')).toBeNull()
    await expect(store.people.create({ username: 'x', name: 'X', role: 'boss' as never, passwordHash: PASSWORD_HASH }, T0)).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(store.people.create({ username: 'y', name: 'Y', role: 'agent', messageCapacity: 26, passwordHash: PASSWORD_HASH }, T0)).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('are changed field by field; deactivating one ends every session of theirs in the same step', async () => {
    const store = await open()
    const ben = await store.people.create({ username: 'ben', name: 'Ben Kraus', role: 'agent', messageCapacity: 3, passwordHash: PASSWORD_HASH }, T0)
    await store.people.create({ username: 'anna', name: 'Anna Berg', role: 'supervisor', passwordHash: PASSWORD_HASH }, T0)
    expect(await store.people.update(ben.id, { messageCapacity: 6, preferences: { window: { language: 'de' } } })).toMatchObject({ name: 'Ben Kraus', messageCapacity: 6, preferences: { window: { language: 'de' } } })
    expect(await store.people.update(ben.id, { role: 'supervisor' })).toMatchObject({ role: 'supervisor', messageCapacity: 6 })
    expect(await store.people.countActive('supervisor')).toBe(2)
    await store.sessions.create({ tokenHash: hash(1), personId: ben.id, client: 'browser', address: '203.0.113.7', at: T0 })
    await store.sessions.create({ tokenHash: hash(2), personId: ben.id, client: 'desktop', address: null, at: T0 })
    expect(await store.people.setDeactivated(ben.id, T0 + HOUR)).toMatchObject({ active: false, deactivatedAt: T0 + HOUR })
    expect(await store.sessions.touch(hash(1), T0 + HOUR, T0)).toBeNull()
    expect(await store.sessions.delete(hash(2))).toBe(false)
    expect(await store.people.countActive('supervisor')).toBe(1)
    expect((await store.people.list()).map((p) => [p.name, p.active])).toEqual([['Anna Berg', true], ['Ben Kraus', false]])
    expect(await store.people.setDeactivated(ben.id, null)).toMatchObject({ active: true, deactivatedAt: null })
    await store.people.setPasswordHash(ben.id, `${PASSWORD_HASH}x`)
    expect((await store.people.credentials('ben'))?.passwordHash).toBe(`${PASSWORD_HASH}x`)
    await expect(store.people.update('nobody', { name: 'X' })).rejects.toMatchObject({ code: 'not_found' })
  })
})

describeStore('sessions (P3)', (open) => {
  it('move on with use, never backwards, and end once idle — the idle one is deleted', async () => {
    const store = await open()
    const anna = await store.people.create({ username: 'anna', name: 'Anna Berg', role: 'supervisor', passwordHash: PASSWORD_HASH }, T0)
    await store.sessions.create({ tokenHash: hash(7), personId: anna.id, client: 'browser', address: null, at: T0 })
    expect(await store.sessions.touch(hash(7), T0 + HOUR, T0 + HOUR - 12 * HOUR)).toMatchObject({ session: { lastSeenAt: T0 + HOUR }, person: { id: anna.id } })
    // A second window reporting an older use does not move it back.
    expect(await store.sessions.touch(hash(7), T0, T0 - 12 * HOUR)).toMatchObject({ session: { lastSeenAt: T0 + HOUR } })
    expect(await store.sessions.touch(hash(7), T0 + 14 * HOUR, T0 + 2 * HOUR)).toBeNull()
    expect(await store.sessions.touch(hash(7), T0 + 14 * HOUR, 0)).toBeNull()
    expect(await store.sessions.touch(hash(8), T0, 0)).toBeNull()
  })

  it('end for a person, when idle, or one by one', async () => {
    const store = await open()
    const anna = await store.people.create({ username: 'anna', name: 'Anna Berg', role: 'supervisor', passwordHash: PASSWORD_HASH }, T0)
    for (const n of [1, 2, 3]) await store.sessions.create({ tokenHash: hash(n), personId: anna.id, client: 'browser', address: null, at: T0 + n * HOUR })
    expect(await store.sessions.deleteIdle(T0 + 2 * HOUR)).toBe(1)
    expect(await store.sessions.delete(hash(2))).toBe(true)
    expect(await store.sessions.deleteForPerson(anna.id)).toBe(1)
    await expect(store.sessions.create({ tokenHash: 'not-a-hash', personId: anna.id, client: 'browser', address: null, at: T0 })).rejects.toMatchObject({ code: 'invalid_input' })
  })
})

describeStore('failed sign-ins (P3)', (open) => {
  const policy = { windowMs: 15 * 60_000, lockAfter: 3, lockMs: 10 * 60_000 }
  it('are counted, lock the key at the limit for a while, start again after the window, and clear', async () => {
    const store = await open()
    expect(await store.signInThrottle.recordFailure('account:anna', T0, policy)).toMatchObject({ failures: 1, lockedUntil: null })
    expect(await store.signInThrottle.recordFailure('account:anna', T0 + 1000, policy)).toMatchObject({ failures: 2, lockedUntil: null })
    expect(await store.signInThrottle.recordFailure('account:anna', T0 + 2000, policy)).toMatchObject({ failures: 3, lockedUntil: T0 + 2000 + policy.lockMs })
    // Failures while locked do not extend the lock.
    expect(await store.signInThrottle.recordFailure('account:anna', T0 + 3000, policy)).toMatchObject({ failures: 4, lockedUntil: T0 + 2000 + policy.lockMs })
    // Long after the window and the lock: counting starts again.
    expect(await store.signInThrottle.recordFailure('account:anna', T0 + HOUR, policy)).toMatchObject({ failures: 1, firstFailureAt: T0 + HOUR, lockedUntil: null })
    await store.signInThrottle.clear('account:anna')
    expect(await store.signInThrottle.get('account:anna')).toBeNull()
  })
})

describeStore('sealed secrets, shared settings and nodes (team server)', (open) => {
  const sealed = (name: string, keyId: string, updatedAt: number): SealedSecret => ({ name, keyId, iv: 'aXY=', tag: 'dGFn', ciphertext: `c2VhbGVk${updatedAt}`, updatedAt })

  it('keep sealed rows, and re-seal all of them at once or none', async () => {
    const store = await open()
    await store.sealedSecrets.put(sealed('meta-app-secret', 'k1', 1))
    await store.sealedSecrets.put(sealed('integration/i1/page-token', 'k1', 2))
    expect((await store.sealedSecrets.list()).map((s) => s.name)).toEqual(['integration/i1/page-token', 'meta-app-secret'])
    const rows = await store.sealedSecrets.list()
    // Another node saved one meanwhile: the whole step is refused and nothing changes.
    await store.sealedSecrets.put(sealed('meta-app-secret', 'k1', 3))
    await expect(store.sealedSecrets.reseal(rows.map((before) => ({ before, after: { ...before, keyId: 'k2', updatedAt: 9 } })), 'k2')).rejects.toMatchObject({ code: 'conflict' })
    expect((await store.sealedSecrets.list()).map((s) => s.keyId)).toEqual(['k1', 'k1'])
    const fresh = await store.sealedSecrets.list()
    await store.sealedSecrets.reseal(fresh.map((before) => ({ before, after: { ...before, keyId: 'k2', updatedAt: 9 } })), 'k2')
    expect((await store.sealedSecrets.list()).map((s) => s.keyId)).toEqual(['k2', 'k2'])
    expect(await store.sealedSecrets.delete('meta-app-secret')).toBe(true)
    expect(await store.sealedSecrets.get('meta-app-secret')).toBeNull()
  })

  it('keep settings as JSON values, and nodes by heartbeat', async () => {
    const store = await open()
    await store.settings.set('metaApp', { appId: '1234567890' })
    await store.settings.set('webhook', { publicUrl: null, port: 47600 })
    await store.settings.set('metaApp', {})
    expect(await store.settings.all()).toEqual({ metaApp: {}, webhook: { publicUrl: null, port: 47600 } })
    await store.nodes.beat({ nodeId: 'a', url: 'http://127.0.0.1:1', startedAt: T0, at: T0 })
    await store.nodes.beat({ nodeId: 'b', url: 'http://127.0.0.1:2', startedAt: T0 + 1, at: T0 + 10_000 })
    await store.nodes.beat({ nodeId: 'a', url: 'http://127.0.0.1:1', startedAt: T0, at: T0 + 20_000 })
    expect((await store.nodes.alive(T0 + 15_000)).map((n) => n.nodeId)).toEqual(['a'])
    expect((await store.nodes.alive(T0)).map((n) => [n.nodeId, n.lastSeenAt])).toEqual([['a', T0 + 20_000], ['b', T0 + 10_000]])
    await store.nodes.remove('a')
    expect((await store.nodes.alive(0)).map((n) => n.nodeId)).toEqual(['b'])
  })
})

describeStore('files staged for replies (A4, team server)', (open) => {
  it('keep description and bytes together, tie to a reply and back, and go when removed', async () => {
    const store = await open()
    const id = 'A'.repeat(32)
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255])
    await store.stagedFiles.put({ id, conversationId: 'c1', name: 'Lageplan.png', mime: 'image/png', type: 'image', size: bytes.length, stagedAt: T0, replyId: null }, bytes)
    await store.stagedFiles.put({ id: 'B'.repeat(32), conversationId: 'c1', name: 'b.pdf', mime: 'application/pdf', type: 'file', size: 1, stagedAt: T0 + 1, replyId: null }, Buffer.from([1]))
    expect(await store.stagedFiles.get(id)).toMatchObject({ name: 'Lageplan.png', replyId: null })
    expect((await store.stagedFiles.bytes(id))!.equals(bytes)).toBe(true)
    expect(await store.stagedFiles.link(id, 'reply-1')).toMatchObject({ replyId: 'reply-1' })
    expect(await store.stagedFiles.get(id)).toMatchObject({ replyId: 'reply-1' })
    expect(await store.stagedFiles.link(id, null)).toMatchObject({ replyId: null })
    expect((await store.stagedFiles.list()).map((f) => f.name)).toEqual(['Lageplan.png', 'b.pdf'])
    await store.stagedFiles.remove(id)
    expect(await store.stagedFiles.get(id)).toBeNull()
    expect(await store.stagedFiles.bytes(id)).toBeNull()
    expect(await store.stagedFiles.link(id, 'reply-2')).toBeNull()
    await expect(store.stagedFiles.get('../etc/passwd')).rejects.toMatchObject({ code: 'invalid_input' })
  })
})

describeStore('replies a node left mid-send (team server)', (open, engine) => {
  it('are recovered only when their node is no longer alive; a workstation recovers all of its own', async () => {
    const store = await open({ now: () => T0 })
    const c = await conversationFor(store, 'customer-1')
    for (const id of ['by-a', 'by-b', 'by-dead']) await store.outbox.enqueue({ id, conversationId: c.id, text: id })
    await store.outbox.claim('by-a', { messagingType: 'RESPONSE' }, 'node-a')
    await store.outbox.claim('by-b', { messagingType: 'RESPONSE' }, 'node-b')
    const other = await openAgain(engine, store, { now: () => T0 })
    await other.outbox.claim('by-dead', { messagingType: 'RESPONSE' }, 'node-c')
    expect(await store.outbox.recoverInterrupted({ aliveNodes: ['node-a', 'node-b'] })).toBe(1)
    expect((await store.outbox.inState('ambiguous', 10)).map((i) => i.id)).toEqual(['by-dead'])
    expect((await store.outbox.inState('sending', 10)).map((i) => i.id)).toEqual(['by-a', 'by-b'])
    expect(await store.outbox.recoverInterrupted()).toBe(2)
  })
})

describe('the store names its engine', () => {
  it('for the diagnostics and the server', async () => {
    const { openEngine } = await import('./helpers.ts')
    expect((await openEngine('sqlite')).engine).toBe('sqlite')
    const pg = await openEngine('postgres')
    expect(pg.engine).toBe('postgres')
    expect(pg.filePath).toMatch(/^127\.0\.0\.1:\d+\/parley_/)
    expect(await pg.ready()).toEqual({ ready: true })
  })
})
