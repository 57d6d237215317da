// Playwright: one throwaway PostgreSQL server for the team server's end-to-end tests, removed at the end.
import { startTestPostgres } from '../fixtures/postgres.ts'

export default async function globalSetup() {
  const server = await startTestPostgres()
  // Workers inherit the environment set here.
  process.env.PARLEY_TEST_POSTGRES = server.adminUrl
  return () => server.stop()
}
