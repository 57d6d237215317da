// A team for the server's tests: one PostgreSQL database, one shared sandbox, people made through
// the store as `add-user` makes them, and Nordlicht connected by a supervisor through the browser's
// code flow.
import { afterAll, afterEach } from 'vitest'
import { openPostgresStore, type Store } from '../../../src-main/core/store/index.ts'
import { createPeopleService } from '../../../src-main/core/people/peopleService.ts'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'
import { startNodeHere, teamEnv, type TeamEnv } from '../../fixtures/teamServer.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})
export const onCleanup = (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup)

export const PASSWORD = 'correct-horse-battery'

export interface Team extends TeamEnv {
  sandbox: RunningSandbox
  store: Store
  addPerson(username: string, name: string, role: 'agent' | 'supervisor'): Promise<string>
  node(env?: Record<string, string>): ReturnType<typeof startNodeHere>
}

export async function startTeam(): Promise<Team> {
  const sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 20, maxAttempts: 3 } })
  onCleanup(() => sandbox.close())
  const env = teamEnv(await createTestDatabase('team'), sandbox)
  const store = await openPostgresStore(env.databaseUrl)
  onCleanup(() => store.close())
  const people = createPeopleService({ store, now: Date.now, onSessionsEnded: () => {} })
  return {
    ...env,
    sandbox,
    store,
    addPerson: async (username, name, role) => (await people.add({ username, name, role, messageCapacity: 4, password: PASSWORD })).id,
    async node(extra) {
      const node = await startNodeHere(env, { env: extra })
      onCleanup(() => node.close())
      return node
    },
  }
}

export { connectNordlicht } from '../../fixtures/teamServer.ts'
