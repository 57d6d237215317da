// `npm run server` as an operator meets it: one line that says where it runs, or one plain line
// and exit code 1 — no stack trace — when the database is missing or unreachable; HTTPS from the
// TLS variables; several nodes starting at once on a fresh database migrate it once.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { request, type RequestOptions } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../../src-main/core/store/index.ts'
import { POSTGRES_MIGRATIONS } from '../../../src-main/core/store/postgres/migrations/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'
import { spawnNode } from '../../fixtures/teamServer.ts'
import { onCleanup, startTeam } from './teamHelpers.ts'

const ROOT = new URL('../../../', import.meta.url).pathname
const server = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['src-main/server/team/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-cli-')), ...env }, encoding: 'utf8', timeout: 30_000 })

function httpsRequest(url: string, ca: Buffer, options: RequestOptions = {}, body?: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, ca }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('npm run server', () => {
  it('says in one line, with exit code 1, that the database is missing or cannot be reached', () => {
    const missing = server(['--port', '0'], { PARLEY_DATABASE_URL: '' })
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^PARLEY_DATABASE_URL is not set/)])
    expect(missing.stdout).toBe('')

    const unreachable = server(['--port', '0'], { PARLEY_DATABASE_URL: 'postgres://parley:hunter2@127.0.0.1:1/parley' })
    expect(unreachable.status).toBe(1)
    const lines = unreachable.stderr.trim().split('\n').filter((line) => !line.includes('"level":"info"'))
    expect(lines).toEqual(['The database 127.0.0.1:1/parley cannot be used: nothing answers at its address.'])
    expect(unreachable.stderr).not.toContain('hunter2')
    expect(unreachable.stderr).not.toMatch(/\n\s+at /)

    expect(server(['frobnicate'], {}).status).toBe(1)
  }, 90_000)

  it('serves HTTPS with the certificate it is given, on every interface, with Secure cookies', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' })
    const node = await spawnNode(team, { env: { PARLEY_TLS_CERT: join(dir, 'cert.pem'), PARLEY_TLS_KEY: join(dir, 'key.pem') } })
    onCleanup(() => node.stop())
    expect(node.url).toMatch(/^https:\/\/localhost:\d+$/)
    // The test trusts this one self-signed certificate, for its own requests only.
    const ca = readFileSync(join(dir, 'cert.pem'))
    const signIn = await httpsRequest(`${node.url}/auth/sign-in`, ca, { method: 'POST', headers: { 'content-type': 'application/json', origin: node.url } }, JSON.stringify({ username: 'anna', password: 'correct-horse-battery' }))
    expect(signIn.status).toBe(200)
    expect(signIn.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Secure$/)
    expect((await httpsRequest(`${node.url}/readyz`, ca)).status).toBe(200)
  }, 60_000)

  it('migrates a fresh database once when several nodes start at the same moment', async () => {
    const url = await createTestDatabase('migrate')
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url)))
    onCleanup(() => Promise.all(stores.map((s) => s.close())))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const { rows } = await client.query('SELECT version, name FROM schema_migrations ORDER BY version')
    await client.end()
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })))
    for (const store of stores) expect(await store.ready()).toEqual({ ready: true })
  })
})
