// P2 and P4 across two nodes on one database: people managed on one node take effect on the
// other at once; Meta's tokens are sealed at rest with the server's key and never reach a window.
import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { signIn } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

async function everyRow(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename)
    const dump: unknown[] = []
    for (const table of tables) dump.push((await client.query(`SELECT * FROM ${table}`)).rows)
    return JSON.stringify(dump)
  } finally {
    await client.end()
  }
}

describe('people (P2), on any node', () => {
  it('are added on one node and sign in on another; deactivating one closes their windows everywhere at once', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const [a, b] = [await team.node(), await team.node()]
    const supervisor = await signIn(a.url, 'anna', PASSWORD)
    onCleanup(async () => supervisor.close())
    const ben = await supervisor.call<{ id: string }>('people.add', { username: 'ben', name: 'Ben Kraus', role: 'agent', messageCapacity: 6, password: 'bens-first-password' })
    await expect(supervisor.call('people.add', { username: 'BEN', name: 'Other Ben', role: 'agent', password: 'another-password' })).rejects.toMatchObject({ code: 'username_taken', message: expect.stringContaining('The username "ben" is already taken.') })
    const agent = await signIn(b.url, 'ben', 'bens-first-password')
    expect(await agent.call('session.get')).toMatchObject({ profile: 'agent', person: { name: 'Ben Kraus' } })

    await supervisor.call('people.deactivate', { id: ben.id })
    expect(await agent.closed).toBe(4401)
    expect(agent.events.at(-1)).toEqual({ name: 'session.ended', payload: { reason: 'deactivated' } })
    await expect(signIn(b.url, 'ben', 'bens-first-password')).rejects.toThrow(/401/)
    expect(await supervisor.call('people.list')).toMatchObject([{ username: 'anna', active: true }, { username: 'ben', active: false, messageCapacity: 6 }])
    await supervisor.call('people.reactivate', { id: ben.id })
    const again = await signIn(a.url, 'ben', 'bens-first-password')
    onCleanup(async () => again.close())
  })

  it('get a new password that ends their sessions, and the team always keeps one active supervisor', async () => {
    const team = await startTeam()
    const annaId = await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const benId = await team.addPerson('ben', 'Ben Kraus', 'agent')
    const node = await team.node()
    const supervisor = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => supervisor.close())
    const agent = await signIn(node.url, 'ben', PASSWORD)
    await supervisor.call('people.resetPassword', { id: benId, password: 'a-brand-new-password' })
    expect(await agent.closed).toBe(4401)
    expect(agent.events.at(-1)).toEqual({ name: 'session.ended', payload: { reason: 'password_reset' } })
    await expect(signIn(node.url, 'ben', PASSWORD)).rejects.toThrow(/401/)
    ;(await signIn(node.url, 'ben', 'a-brand-new-password')).close()

    await expect(supervisor.call('people.deactivate', { id: annaId })).rejects.toMatchObject({ code: 'deactivate_self' })
    await expect(supervisor.call('people.update', { id: annaId, role: 'agent' })).rejects.toMatchObject({ code: 'last_supervisor' })
    await supervisor.call('people.update', { id: benId, role: 'supervisor' })
    await supervisor.call('people.update', { id: annaId, role: 'agent' })
    await expect(supervisor.call('people.list')).rejects.toMatchObject({ code: 'forbidden' })
  })
})

describe('tokens stay on the server (P4)', () => {
  it('seals page tokens at rest with the key file, keeps them out of every window, and re-seals them with rotate-key', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const node = await team.node()
    const supervisor = await signIn(node.url, 'anna', PASSWORD)
    onCleanup(async () => supervisor.close())
    await connectNordlicht(node.url, supervisor)
    expect(statSync(team.keyFile).mode & 0o777).toBe(0o600)

    const dump = await everyRow(team.databaseUrl)
    const client = new pg.Client({ connectionString: team.databaseUrl })
    await client.connect()
    const sealed = (await client.query<{ name: string; key_id: string }>('SELECT name, key_id FROM sealed_secrets ORDER BY name')).rows
    await client.end()
    expect(sealed.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^server\/integration\/.+\/page-token$/)]))
    // Sandbox tokens begin like Meta's: EAAB…; the App Secret is the sandbox's.
    expect(dump).not.toMatch(/EAAB[A-Za-z0-9]{20}/)
    expect(dump).not.toContain(team.sandbox.appSecret)
    expect(JSON.stringify(supervisor.events)).not.toMatch(/EAAB[A-Za-z0-9]{20}/)

    const rotated = spawnSync(process.execPath, ['src-main/server/team/cli.ts', 'rotate-key'], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, PARLEY_DATABASE_URL: team.databaseUrl, PARLEY_SERVER_KEY_FILE: team.keyFile },
      encoding: 'utf8',
    })
    expect(rotated.status).toBe(0)
    expect(rotated.stdout).toMatch(/^Made a new server key and sealed \d+ secrets? with it\./)
    const after = new pg.Client({ connectionString: team.databaseUrl })
    await after.connect()
    const resealed = (await after.query<{ key_id: string }>('SELECT DISTINCT key_id FROM sealed_secrets')).rows
    await after.end()
    expect(resealed).toHaveLength(1)
    expect(resealed[0]!.key_id).not.toBe(sealed[0]!.key_id)
    // The running node reads the rotated secret: its health check still opens the page token.
    expect(await supervisor.call('integrations.checkHealth')).toMatchObject([{ name: 'Nordlicht DMs', status: 'active', health: { tokenValid: true } }])
  }, 60_000)
})
