// P1, P3 on a real server node and a real PostgreSQL: health, sign-in and its cookie, one message
// for a wrong username or password, slowing and locking, Origin, sessions ending.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { openWindow, signIn } from '../../fixtures/teamServer.ts'
import { onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, ...headers }, body: JSON.stringify(body) })

describe('a node of the Parley server', () => {
  it('says it is up and ready, and serves nothing of the contract to anyone not signed in', async () => {
    const team = await startTeam()
    const node = await team.node()
    expect(await (await fetch(`${node.url}/healthz`)).text()).toBe('ok')
    const ready = await fetch(`${node.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true, checks: { database: true, cluster: true } })
    expect((await fetch(`${node.url}/auth/session`)).status).toBe(401)
    await expect(openWindow(node.url, { origin: node.url })).rejects.toMatchObject({ status: 401 })
    expect((await fetch(`${node.url}/media/avatar/x`)).status).toBe(401)
  })
})

describe('signing in (P3)', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie — Secure behind a TLS proxy — and opens the window', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const response = await post(node.url, { username: 'Anna', password: PASSWORD })
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(/^parley_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)
    expect(await response.json()).toMatchObject({ person: { username: 'anna', name: 'Anna Berg', role: 'supervisor' } })
    const proxied = await post(node.url, { username: 'anna', password: PASSWORD }, { 'x-forwarded-proto': 'https' })
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/)
    const window = await openWindow(node.url, { cookie: cookie.split(';')[0]!, origin: node.url })
    onCleanup(async () => window.close())
    expect(await window.call('session.get')).toMatchObject({ profile: 'supervisor', person: { name: 'Anna Berg', username: 'anna' }, team: true })
    // The token is in the cookie only: the store keeps its hash.
    const token = cookie.split(';')[0]!.split('=')[1]!
    const database = new pg.Client({ connectionString: team.databaseUrl })
    await database.connect()
    const { rows } = await database.query('SELECT * FROM sessions')
    await database.end()
    expect(rows).toHaveLength(2)
    expect(JSON.stringify(rows)).not.toContain(token)
  })

  it('gives the desktop app its token in the answer, and no cookie', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const response = await fetch(`${node.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'anna', password: PASSWORD, client: 'desktop' }) })
    const body = (await response.json()) as { token: string }
    expect(response.headers.get('set-cookie')).toBeNull()
    const window = await openWindow(node.url, { authorization: `Bearer ${body.token}` })
    onCleanup(async () => window.close())
    expect(await window.call('session.get')).toMatchObject({ person: { username: 'anna' } })
  })

  it('answers a wrong password and an unknown username with the same one message, and refuses pages of other sites', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const wrongPassword = await post(node.url, { username: 'anna', password: 'not-her-password' })
    const unknownUser = await post(node.url, { username: 'nobody', password: PASSWORD })
    expect(wrongPassword.status).toBe(401)
    expect(unknownUser.status).toBe(401)
    expect(await wrongPassword.json()).toEqual(await unknownUser.json())
    expect((await post(node.url, { username: 'anna', password: PASSWORD }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await post(node.url, { username: 'anna' })).status).toBe(400)
    const signedIn = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => signedIn.close())
    await expect(openWindow(node.url, { cookie: signedIn.cookie, origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 })
  })

  it('slows failures down and then locks the account for a while, even for the right password', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const started = Date.now()
    // Nine at once (a guessing script): each is counted, and the later ones wait up to 4 s for their answer.
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => post(node.url, { username: 'anna', password: `wrong-${i}-password` })))
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(401))
    expect(Date.now() - started).toBeGreaterThan(3000)
    expect((await post(node.url, { username: 'anna', password: 'wrong-9-password' })).status).toBe(401)
    const locked = await post(node.url, { username: 'anna', password: PASSWORD })
    expect(locked.status).toBe(429)
    expect(await locked.json()).toMatchObject({ code: 'sign_in_locked', message: expect.stringMatching(/Too many failed sign-ins\. Try again in 1[45] minutes\./) })
  }, 60_000)

  it('ends the session at Sign out: the window is closed, told why, and the cookie opens nothing any more', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const window = await signIn(node.url, 'anna', PASSWORD)
    expect(await window.call('session.signOut')).toEqual({ ok: true })
    expect(await window.closed).toBe(4401)
    expect(window.events.at(-1)).toEqual({ name: 'session.ended', payload: { reason: 'signed_out' } })
    await expect(openWindow(node.url, { cookie: window.cookie, origin: node.url })).rejects.toMatchObject({ status: 401 })
  })
})
