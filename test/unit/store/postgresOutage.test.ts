// A team server's database restarts: calls meanwhile fail with plain words and change nothing,
// and the same store carries on by itself once PostgreSQL is back — no reopening.
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../../src-main/core/store/index.ts'
import { startTestPostgres, type TestPostgres } from '../../fixtures/postgres.ts'

let server: TestPostgres | null = null
afterAll(async () => server?.stop())

describe('PostgreSQL going away and coming back', () => {
  it('answers store_unreachable while it is down, then works again on the same store', async () => {
    // A server of its own: restarting the run's shared one would disturb the other test files.
    server = await startTestPostgres()
    const store = await openPostgresStore(await server.createDatabase())
    await store.people.create({ username: 'anna', name: 'Anna Berg', role: 'supervisor', passwordHash: 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5' }, 1)
    const down = server.restart({ downMs: 1500 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect(store.people.list()).rejects.toMatchObject({ code: 'store_unreachable', message: expect.stringContaining('PostgreSQL cannot be reached') })
    expect(await store.ready()).toMatchObject({ ready: false })
    await down
    let names: string[] = []
    for (let attempt = 0; attempt < 50 && names.length === 0; attempt++) {
      names = await store.people.list().then((people) => people.map((p) => p.name), () => [])
      if (!names.length) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(names).toEqual(['Anna Berg'])
    expect(await store.ready()).toEqual({ ready: true })
    await store.close()
  }, 60_000)

  it('refuses to open a database that is not there, naming it without its password', async () => {
    server ??= await startTestPostgres()
    const url = server.adminUrl.replace('postgres@', 'postgres:hunter2@').replace(/\/postgres$/, '/no_such_db')
    const failure = await openPostgresStore(url).catch((error: Error & { code: string }) => error)
    expect(failure).toMatchObject({ code: 'store_unreachable', message: expect.stringContaining('the database does not exist') })
    expect((failure as Error).message).toContain('/no_such_db')
    expect((failure as Error).message).not.toContain('hunter2')
  })
})
