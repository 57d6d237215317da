import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Integration, LoginFinished, SaveResult } from '../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox } from '../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../fixtures/sandboxDialog.ts'

const ALL = Object.values(PAGES)
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
})
afterEach(() => core.close())

async function createNordlicht(): Promise<Integration> {
  const login = await core.login({ pageIds: ALL })
  const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
  if (!result.saved) throw new Error('not saved')
  await core.call('login.end', { loginId: login.loginId })
  return result.integration
}

describe('creating an integration (S1–S7)', () => {
  it('logs in, offers every page with the reason some cannot be chosen, saves, subscribes, keeps the token in the keychain only', async () => {
    const login = await core.login({ pageIds: ALL })
    expect(login).toMatchObject({ outcome: 'ok', person: 'Maria Schmidt', problem: null })
    const byId = Object.fromEntries(login.pages.map((p) => [p.id, p]))
    expect(login.pages).toHaveLength(5)
    expect(byId[PAGES.nordlicht]).toMatchObject({ selectable: true, unavailable: null, instagram: { username: 'nordlicht.kaffee' } })
    expect(byId[PAGES.kiezbaeckerei]).toMatchObject({ selectable: false, unavailable: 'no_linked_account', instagram: null })
    expect(byId[PAGES.lindgren]).toMatchObject({ selectable: false, unavailable: 'switch_not_confirmed' })
    expect(byId[PAGES.waldmeister]).toMatchObject({ selectable: true })

    const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
    expect(result.saved).toBe(true)
    const integration = (result as Extract<SaveResult, { saved: true }>).integration
    expect(integration).toMatchObject({
      name: 'Nordlicht DMs',
      pageId: PAGES.nordlicht,
      pageName: 'Nordlicht Kaffeerösterei',
      instagram: { id: '17841401234567801', username: 'nordlicht.kaffee' },
      status: 'active',
      contentProfileId: 'default',
      storyMentions: true,
      storyReplies: true,
      health: { tokenValid: true, tokenNeverExpires: true, webhook: 'subscribed' },
    })

    const state = (await (await fetch(`${core.sandbox.url}/__sandbox/state`)).json()) as { subscribedPages: Record<string, string[]> }
    expect(state.subscribedPages[PAGES.nordlicht]).toEqual(expect.arrayContaining(['messages', 'messaging_seen', 'message_reactions']))

    const pageToken = await core.secretStore.get(`test-installation/integration/${integration.id}/page-token`)
    expect(pageToken).toMatch(/^EAAB/)
    expect(JSON.stringify(await core.store.integrations.listAll())).not.toContain(pageToken!)
    expect(JSON.stringify(core.settingsFile.get('integrations') ?? null)).not.toContain(pageToken!)
    expect(JSON.stringify(core.events)).not.toContain(pageToken!)
    expect(core.events.some((e) => e.name === 'integrations.changed')).toBe(true)
  })

  it('refuses to save an unpublished page with the fix, and saves it once published (S2)', async () => {
    const login = await core.login({ pageIds: ALL })
    const blocked = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.waldmeister, name: 'Waldmeister' })
    expect(blocked).toEqual({
      saved: false,
      checks: [
        { id: 'page_published', status: 'failed', fix: 'publish_page', missing: [] },
        { id: 'ig_professional', status: 'passed', fix: null, missing: [] },
        { id: 'ig_linked', status: 'passed', fix: null, missing: [] },
        { id: 'permissions', status: 'passed', fix: null, missing: [] },
      ],
    })
    expect(await core.call('integrations.list')).toEqual([])
    await core.control('page', { pageId: PAGES.waldmeister, published: true })
    expect(await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.waldmeister, name: 'Waldmeister' })).toMatchObject({ saved: true })
  })

  it('says to link the account when the link was removed after login (S2)', async () => {
    const login = await core.login({ pageIds: ALL })
    await core.control('page', { pageId: PAGES.hafenblick, igLinked: false })
    const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.hafenblick, name: 'Hafenblick' })
    expect(result).toMatchObject({ saved: false, checks: [{ status: 'passed' }, { status: 'not_checked' }, { status: 'failed', fix: 'link_instagram' }, { status: 'passed' }] })
  })

  it('does not use a page twice (S6)', async () => {
    await createNordlicht()
    const login = await core.login({ pageIds: ALL })
    expect(login.pages.find((p) => p.id === PAGES.nordlicht)).toMatchObject({ selectable: false, unavailable: 'already_integrated', integrationName: 'Nordlicht DMs' })
    await expect(core.call('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Again' })).rejects.toMatchObject({ code: 'page_already_integrated' })
  })

  it('refuses a further login that would drop a page another integration uses, and keeps nothing of it (S5)', async () => {
    await createNordlicht()
    const login: LoginFinished = await core.login({ pageIds: [PAGES.hafenblick] })
    expect(login).toMatchObject({ outcome: 'refused', pages: [], problem: { code: 'login.pages_dropped' } })
    expect(login.problem!.message).toContain('Nordlicht DMs')
    expect(await core.secretStore.get(`test-installation/login/${login.loginId}/user-token`)).toBeNull()
    await expect(core.call('integrations.create', { loginId: login.loginId, pageId: PAGES.hafenblick, name: 'Hafenblick' })).rejects.toMatchObject({ code: 'login_incomplete' })
    // Keeping every page selected is accepted.
    expect(await core.login({ pageIds: [PAGES.nordlicht, PAGES.hafenblick] })).toMatchObject({ outcome: 'ok' })
  })

  it('reports a cancelled login as cancelled', async () => {
    expect(await core.login({ pageIds: [], action: 'cancel' })).toMatchObject({ outcome: 'cancelled', pages: [] })
  })

  it('ends the login: its user token leaves the keychain and the host ends the Facebook session (S10)', async () => {
    const login = await core.login({ pageIds: ALL })
    expect(await core.secretStore.get(`test-installation/login/${login.loginId}/user-token`)).not.toBeNull()
    await core.call('login.end', { loginId: login.loginId })
    expect(await core.secretStore.get(`test-installation/login/${login.loginId}/user-token`)).toBeNull()
    expect(core.sessionsEnded()).toBe(1)
    await expect(core.call('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Late' })).rejects.toMatchObject({ code: 'login_expired' })
  })

  it('asks Meta for what messaging needs, with the state that proves the redirect is its own', async () => {
    await core.call('login.start', { purpose: 'create' })
    const dialog = new URL(core.dialogUrl())
    expect(dialog.pathname).toBe('/v25.0/dialog/oauth')
    expect(dialog.searchParams.get('scope')!.split(',')).toEqual(
      expect.arrayContaining(['pages_show_list', 'pages_manage_metadata', 'instagram_basic', 'instagram_manage_messages']),
    )
    expect(dialog.searchParams.get('state')).toMatch(/^[\w-]{43}$/)
    expect(await core.parley.completeLoginRedirect(`http://127.0.0.1:9/auth/callback?code=x&state=forged`)).toBeNull()
  })
})

describe('keeping an integration', () => {
  it('keeps the supported content profile and story switches (S8, S9)', async () => {
    const integration = await createNordlicht()
    const profile = await core.call<{ id: string }>('contentProfiles.save', { name: 'Photos only', inbound: ['image/*'], outbound: ['image/png'], maxBytes: 5_000_000 })
    const updated = await core.call<Integration>('integrations.update', { id: integration.id, contentProfileId: profile.id, storyMentions: false })
    expect(updated).toMatchObject({ contentProfileId: profile.id, storyMentions: false, storyReplies: true })
    await expect(core.call('contentProfiles.delete', { id: profile.id })).rejects.toMatchObject({ code: 'profile_in_use' })
    await expect(core.call('integrations.update', { id: integration.id, contentProfileId: 'nope' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('shows Disconnected with the reason after a password change, and Recreate keeps name and profiles (S11)', async () => {
    const integration = await createNordlicht()
    await core.call('integrations.update', { id: integration.id, storyReplies: false })
    await core.control('password', { userId: '100090000000101' })
    const [checked] = await core.call<Integration[]>('integrations.checkHealth')
    expect(checked).toMatchObject({ status: 'disconnected', problem: { code: 'token_invalid.password_changed' }, health: { tokenValid: false } })

    const login = await core.login({ pageIds: ALL, purpose: 'recreate', integrationId: integration.id })
    expect(login.outcome).toBe('ok')
    const result = await core.call<SaveResult>('integrations.recreate', { id: integration.id, loginId: login.loginId })
    expect(result).toMatchObject({ saved: true, integration: { id: integration.id, name: 'Nordlicht DMs', status: 'active', problem: null, storyReplies: false } })
    expect(await core.call('integrations.checkHealth')).toMatchObject([{ status: 'active', health: { tokenValid: true, webhook: 'subscribed' } }])
  })

  it('refuses a Recreate login that leaves out the integration’s own page, naming it', async () => {
    const integration = await createNordlicht()
    await core.control('password', { userId: '100090000000101' })
    const login = await core.login({ pageIds: [PAGES.hafenblick], purpose: 'recreate', integrationId: integration.id })
    expect(login).toMatchObject({ outcome: 'refused', problem: { code: 'login.page_not_granted', params: { names: 'Nordlicht DMs' } } })
  })

  it('deletes: unsubscribes the page, removes the token, keeps a tombstone (S12)', async () => {
    const integration = await createNordlicht()
    await core.call('integrations.delete', { id: integration.id })
    const state = (await (await fetch(`${core.sandbox.url}/__sandbox/state`)).json()) as { subscribedPages: Record<string, string[]> }
    expect(state.subscribedPages[PAGES.nordlicht] ?? []).toEqual([])
    expect(await core.secretStore.get(`test-installation/integration/${integration.id}/page-token`)).toBeNull()
    expect(await core.call('integrations.list')).toEqual([])
    expect(await core.store.integrations.listAll()).toMatchObject([{ id: integration.id, deletedAt: expect.any(String) }])
    // The page is free again.
    const login = await core.login({ pageIds: ALL })
    expect(login.pages.find((p) => p.id === PAGES.nordlicht)).toMatchObject({ selectable: true })
  })

  it('deletes a disconnected integration even though its token is dead', async () => {
    const integration = await createNordlicht()
    await core.control('password', { userId: '100090000000101' })
    await core.call('integrations.delete', { id: integration.id })
    expect(await core.call('integrations.list')).toEqual([])
  })
})

describe('content profiles through the contract', () => {
  it('refuses a bad draft where it enters main, naming the field', async () => {
    await expect(core.call('contentProfiles.save', { name: 'X', inbound: ['image/'], outbound: [], maxBytes: 1000 })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    const reply = await core.parley.dispatcher.invoke('contentProfiles.save', { name: ' ', inbound: [], outbound: [], maxBytes: 26 * 1024 * 1024 })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'name' }, { path: 'maxBytes' }] } })
    expect(await core.call('contentProfiles.list')).toMatchObject([{ id: 'default', builtIn: true, usedBy: [] }])
  })
})

describe('who may do this (item 11)', () => {
  it('refuses every integration command to a workstation set up for an agent', async () => {
    core.settingsFile.set('localUser', { profile: 'agent' })
    expect(await core.call('session.get')).toEqual({ profile: 'agent', permissions: [], person: { id: 'local', name: 'Local user', username: null }, team: false })
    for (const [name, input] of [['integrations.list'], ['metaApp.get'], ['login.start', { purpose: 'create' }], ['contentProfiles.list']] as const) {
      await expect(core.call(name, input)).rejects.toMatchObject({ code: 'forbidden' })
    }
  })
})

describe('the Meta app (live mode)', () => {
  it('keeps the App Secret write-only in the keychain and switches to graph.facebook.com', async () => {
    await expect(core.call('metaApp.set', { appId: 'abc', appSecret: 'x' })).rejects.toMatchObject({ code: 'invalid_input' })
    const secret = '0123456789abcdef0123456789abcdef'
    const view = await core.call('metaApp.set', { appId: '987654321012345', appSecret: secret })
    expect(view).toEqual({ mode: 'live', appId: '987654321012345', secretStored: true, secretStore: 'memory' })
    expect(JSON.stringify(view)).not.toContain(secret)
    expect(core.settingsFile.get('metaApp')).toEqual({ appId: '987654321012345' })
    expect(core.parley.meta.backend().graphBase).toBe('https://graph.facebook.com')
    expect(core.events).toContainEqual({ name: 'app.status', payload: { mode: 'live', phase: 'ready' } })
    expect(await core.call('metaApp.clear')).toEqual({ mode: 'sandbox', appId: null, secretStored: false, secretStore: 'memory' })
  })
})

