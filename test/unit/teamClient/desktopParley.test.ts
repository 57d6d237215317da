// The desktop app's main process with a Parley server (P3, P4, item 7): it signs in and keeps the
// session in the keychain, relays the window's contract, and does here only what needs the desktop —
// Facebook's login window (its token goes straight to the server), the open dialog (the file is
// uploaded), the protected story viewer (fed by the server), notifications and media.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { createStderrLogger } from '../../../src-main/core/app/logger.ts'
import type { LoginPresenter } from '../../../src-main/core/auth/loginPresenter.ts'
import type { EventMessage, Reply } from '../../../src-main/core/contract/index.ts'
import type { StoryPresentation } from '../../../src-main/core/inbox/storyPresenter.ts'
import { createMemorySecretStore, createParleySecrets } from '../../../src-main/core/secrets/secretStore.ts'
import { createMemorySettingsFile } from '../../../src-main/core/settings/settingsFile.ts'
import { startDesktopParley } from '../../../src-main/core/teamClient/desktopParley.ts'
import { solidPng } from '../../../src-main/sandbox/png.ts'
import { MARIA, PAGES, SandboxPerson } from '../../fixtures/sandboxDialog.ts'
import { createCoreBridge } from '../../fixtures/coreBridge.ts'
import { customerWrites, signIn } from '../../fixtures/teamServer.ts'
import { onCleanup, PASSWORD, startTeam } from '../team/teamHelpers.ts'

const quiet = createStderrLogger(new Writable({ write: (_c, _e, done) => done() }))

async function desktop(options: { settings?: Record<string, unknown>; token?: { serverUrl: string; token: string }; local?: boolean } = {}) {
  const settingsFile = createMemorySettingsFile(options.settings)
  const secretStore = createMemorySecretStore()
  const secrets = createParleySecrets(secretStore, 'desktop-installation')
  if (options.token) await secrets.teamSession(options.token.serverUrl).set(options.token.token)
  let dialog: { loginId: string; url: string; onRedirect: (url: string | null) => void } | null = null
  const login: LoginPresenter = {
    responseType: 'token',
    redirectUri: 'https://www.facebook.com/connect/login_success.html',
    present: (shown, onRedirect) => ((dialog = { ...shown, onRedirect }), null),
    endSession: vi.fn(async () => {}),
  }
  const stories: StoryPresentation[] = []
  const notifications: { title: string }[] = []
  const picked = { path: null as string | null }
  const relaunch = vi.fn()
  // This computer's own core (workstation mode): the real one, reaching no Meta.
  const bootLocal = vi.fn(async () => (await createCoreBridge()).parley)
  const parley = await startDesktopParley({
    settingsFile,
    secrets,
    bootLocal,
    presenters: {
      login,
      story: { present: (story) => void stories.push(story) },
      notifier: { show: (request) => void notifications.push(request) },
      chooser: { choose: async () => picked.path },
    },
    relaunch,
    log: quiet,
  })
  onCleanup(() => parley.stop())
  const events: EventMessage[] = []
  parley.events.subscribe((event) => events.push(event))
  const call = async <T>(name: string, input?: unknown): Promise<T> => {
    const reply = (await parley.dispatcher.invoke(name, input)) as Reply<T>
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code })
    return reply.value
  }
  return { parley, call, settingsFile, secrets, login, dialog: () => dialog, stories, notifications, picked, relaunch, bootLocal, events }
}

const tokenFor = async (url: string, username: string) => {
  const answer = await fetch(`${url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD, client: 'desktop' }) })
  return ((await answer.json()) as { token: string }).token
}

describe('choosing a Parley server in the desktop app', () => {
  it('signs in over HTTPS, keeps the session in the keychain only, and starts again in team mode', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    // A workstation's desktop: config.json names no server, so this computer only — its own core answers.
    const workstation = await desktop()
    expect(workstation.bootLocal).toHaveBeenCalledTimes(1)
    expect(await workstation.call('connection.get')).toEqual({ mode: 'workstation', serverUrl: null, signedIn: true, canChoose: true })
    expect(await workstation.call('session.get')).toMatchObject({ team: false, person: { id: 'local' } })
    // Team server: signed in, the choice kept, and the app starts again in team mode.
    expect(await workstation.call('connection.signIn', { serverUrl: node.url, username: 'anna', password: PASSWORD })).toMatchObject({ mode: 'team', signedIn: true })
    expect(workstation.settingsFile.get('connection')).toEqual({ mode: 'team', serverUrl: node.url })
    await vi.waitFor(() => expect(workstation.relaunch).toHaveBeenCalledTimes(1))

    const teamDesktop = await desktop({ settings: { connection: { mode: 'team', serverUrl: node.url } } })
    expect(await teamDesktop.call('connection.get')).toEqual({ mode: 'team', serverUrl: node.url, signedIn: false, canChoose: true })
    expect(await teamDesktop.parley.dispatcher.invoke('session.get', undefined)).toMatchObject({ ok: false, error: { code: 'not_signed_in' } })
    await expect(teamDesktop.call('connection.signIn', { serverUrl: node.url, username: 'anna', password: 'wrong-password' })).rejects.toMatchObject({ code: 'sign_in_failed' })
    await expect(teamDesktop.call('connection.signIn', { serverUrl: 'http://parley.example.com', username: 'anna', password: 'x' })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(teamDesktop.call('connection.signIn', { serverUrl: 'https://127.0.0.1:1', username: 'anna', password: 'x' })).rejects.toMatchObject({ code: 'server_unreachable' })
    expect(await teamDesktop.call('connection.signIn', { serverUrl: node.url, username: 'anna', password: PASSWORD })).toMatchObject({ mode: 'team', signedIn: true })
    const token = await teamDesktop.secrets.teamSession(node.url).get()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(JSON.stringify(teamDesktop.settingsFile.get('connection'))).not.toContain(token!)
    expect(await teamDesktop.call('session.get')).toMatchObject({ team: true, person: { name: 'Anna Berg' } })
    expect(teamDesktop.relaunch).not.toHaveBeenCalled()

    // This computer only: signed out of the server, the keychain entry gone, the app starts again.
    expect(await teamDesktop.call('connection.useThisComputer')).toMatchObject({ mode: 'workstation' })
    expect(await teamDesktop.secrets.teamSession(node.url).get()).toBeNull()
    expect(teamDesktop.settingsFile.get('connection')).toEqual({ mode: 'workstation', serverUrl: node.url })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(teamDesktop.relaunch).toHaveBeenCalledTimes(1)
    await expect(signIn(node.url, 'anna', PASSWORD)).resolves.toBeDefined()
  })
})

describe('the desktop app signed in to a Parley server', () => {
  it('shows Facebook’s dialog in its own login window and hands the token straight to the server', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const app = await desktop({ settings: { connection: { mode: 'team', serverUrl: node.url } }, token: { serverUrl: node.url, token: await tokenFor(node.url, 'anna') } })

    const started = await app.call<{ loginId: string; popupUrl: string | null }>('login.start', { purpose: 'create' })
    expect(started.popupUrl).toBeNull()
    const dialog = app.dialog()!
    expect(new URL(dialog.url).searchParams.get('response_type')).toBe('token')
    expect(new URL(dialog.url).searchParams.get('redirect_uri')).toBe('https://www.facebook.com/connect/login_success.html')
    const redirect = await new SandboxPerson(MARIA.email, MARIA.password).complete(dialog.url, { pageIds: Object.values(PAGES) })
    expect(redirect).toContain('#access_token=')
    dialog.onRedirect(redirect)
    await vi.waitFor(() => expect(app.events.some((e) => e.name === 'login.finished')).toBe(true), { timeout: 10_000 })
    const finished = app.events.find((e) => e.name === 'login.finished')!.payload as { outcome: string }
    expect(finished.outcome).toBe('ok')
    expect(await app.call('integrations.create', { loginId: started.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })).toMatchObject({ saved: true })
    await app.call('login.end', { loginId: started.loginId })
    expect(app.login.endSession).toHaveBeenCalled()
    // No Meta token ever reached the desktop: not in its keychain, settings or events.
    const held = JSON.stringify([app.settingsFile.get('connection'), app.events])
    expect(held).not.toMatch(/EAAB[A-Za-z0-9]{20}/)
    expect(redirect).toMatch(/EAAB/) // (the dialog's own redirect did carry one, on its way to the server)
  }, 30_000)

  it('uploads a picked file, feeds the story viewer from the server, shows notifications and media, and signs out', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const supervisor = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => supervisor.close())
    const { connectNordlicht } = await import('../team/teamHelpers.ts')
    const nordlicht = await connectNordlicht(node.url, supervisor)
    const app = await desktop({ settings: { connection: { mode: 'team', serverUrl: node.url } }, token: { serverUrl: node.url, token: await tokenFor(node.url, 'anna') } })

    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { story_mention: true })
    const page = await vi.waitFor(async () => {
      const listed = await app.call<{ items: { id: string; customer: { avatarUrl: string | null } }[] }>('inbox.list', { limit: 10 })
      expect(listed.items).toHaveLength(1)
      return listed
    }, { timeout: 10_000 })
    const conversationId = page.items[0]!.id
    const thread = await app.call<{ messages: { mid: string; story: { kind: string } | null }[] }>('inbox.thread', { conversationId, limit: 10 })
    const mention = thread.messages.find((m) => m.story?.kind === 'mention')!

    // A5: the server asks Meta for the story now and streams it into this desktop's viewer.
    expect(await app.call('inbox.openStory', { mid: mention.mid })).toEqual({ opened: true, problem: null })
    expect(app.stories).toHaveLength(1)
    const story = await app.stories[0]!.media!.open()
    expect(story.status).toBe(200)
    expect(story.headers.get('cache-control')).toContain('no-store')
    expect((await story.arrayBuffer()).byteLength).toBeGreaterThan(0)
    // A browser never gets one from the server.
    expect((await fetch(`${node.url}/stories/${encodeURIComponent(mention.mid)}`, { headers: { cookie: supervisor.cookie } })).status).toBe(403)

    // A4: the file chosen here is uploaded to the server, which checks its bytes.
    const file = join(mkdtempSync(join(tmpdir(), 'parley-pick-')), 'Lageplan.png')
    writeFileSync(file, solidPng('#5B8DEF', 8))
    app.picked.path = file
    expect(await app.call('inbox.pickAttachment', { conversationId })).toMatchObject({ attachment: { name: 'Lageplan.png', mime: 'image/png', problems: [] }, problem: null })
    app.picked.path = null
    expect(await app.call('inbox.pickAttachment', { conversationId })).toEqual({ attachment: null, problem: null })

    // Notifications are this desktop's.
    expect(await app.call('notifications.show', { conversationId, title: 'Lea Hoffmann', body: null })).toEqual({ shown: true })
    expect(app.notifications).toEqual([{ conversationId, title: 'Lea Hoffmann', body: null }])

    // Media addresses are answered through the server, as this person.
    const avatar = await app.parley.media(`avatar/${encodeURIComponent(conversationId)}`)
    expect([200, 404]).toContain(avatar.status)
    expect(avatar.status).not.toBe(401)

    // Sign out: the server forgets the session, the keychain entry goes, the window is told.
    expect(await app.call('session.signOut')).toEqual({ ok: true })
    expect(await app.secrets.teamSession(node.url).get()).toBeNull()
    expect(app.events.at(-1)).toEqual({ name: 'session.ended', payload: { reason: 'signed_out' } })
    expect(await app.parley.dispatcher.invoke('inbox.list', { limit: 1 })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } })
  }, 30_000)

  it('hears that a supervisor deactivated its person, and forgets the session', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const benId = await team.addPerson('ben', 'Ben Kraus', 'agent')
    const node = await team.node()
    const app = await desktop({ settings: { connection: { mode: 'team', serverUrl: node.url } }, token: { serverUrl: node.url, token: await tokenFor(node.url, 'ben') } })
    expect(await app.call('session.get')).toMatchObject({ profile: 'agent' })
    const supervisor = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => supervisor.close())
    await supervisor.call('people.deactivate', { id: benId })
    await vi.waitFor(() => expect(app.events).toContainEqual({ name: 'session.ended', payload: { reason: 'deactivated' } }), { timeout: 10_000 })
    await vi.waitFor(async () => expect(await app.secrets.teamSession(node.url).get()).toBeNull())
    expect(await app.call('connection.get')).toMatchObject({ mode: 'team', signedIn: false })
  })
})
