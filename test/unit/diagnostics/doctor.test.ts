// T1/T2: `npm run doctor` as a child process: --json for machines, exit 0/1/2, readable without
// Electron, and still answering when the store is damaged.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckResult } from '../../../src-main/core/diagnostics/checks.ts'
import { openKeytarStore } from '../../../src-main/core/secrets/keytarStore.ts'
import { startCoreOnSandbox } from '../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../fixtures/sandboxDialog.ts'

const script = fileURLToPath(new URL('../../../scripts/doctor.ts', import.meta.url))

interface DoctorRun { code: number | null; stdout: string; stderr: string }
function doctor(args: string[], env: Record<string, string>): Promise<DoctorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)))
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
const json = (run: DoctorRun) => JSON.parse(run.stdout) as { exitCode: number; checks: CheckResult[] }
const check = (run: DoctorRun, id: string) => json(run).checks.find((c) => c.id === id)

let core: Awaited<ReturnType<typeof startCoreOnSandbox>> | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

async function dataFolder(options: Parameters<typeof startCoreOnSandbox>[0] = {}) {
  core = await startCoreOnSandbox({ eventLog: true, ...options })
  await core.connectNordlicht()
  writeFileSync(join(core.dataDir, 'config.json'), JSON.stringify({ installationId: 'test-installation' }))
  return { PARLEY_DATA_DIR: core.dataDir, ...core.env } as Record<string, string>
}

describe('npm run doctor', () => {
  it('--json lists the checks; without the keychain the token checks say why they did not run (exit 1)', async () => {
    const env = await dataFolder()
    const run = await doctor(['--json'], { ...env, PARLEY_SECRET_STORE: 'memory' })
    expect(run.code).toBe(1)
    expect(json(run).exitCode).toBe(1)
    expect(check(run, 'meta_reachable')).toMatchObject({ verdict: 'ok' })
    expect(check(run, 'store_integrity')).toMatchObject({ verdict: 'ok' })
    expect(check(run, 'token')).toMatchObject({ verdict: 'warning', ran: false, cause: expect.stringContaining('holds no token') })
  })

  it('exits 2 with the cause and fix when Meta’s clock is moved, or Graph is off the network', async () => {
    const env = await dataFolder()
    await core!.control('clock', { advance: '3h' })
    const skewed = await doctor(['--json'], { ...env, PARLEY_SECRET_STORE: 'memory' })
    expect(skewed.code).toBe(2)
    expect(check(skewed, 'clock_skew')).toMatchObject({ verdict: 'problem', cause: expect.stringContaining('behind Meta'), fix: expect.stringContaining('NTP') })
    await core!.control('faults', { path: '/**', drop: true })
    const offline = await doctor(['--json'], { ...env, PARLEY_SECRET_STORE: 'memory' })
    expect(offline.code).toBe(2)
    expect(check(offline, 'meta_reachable')).toMatchObject({ verdict: 'problem', fix: expect.stringContaining('network') })
    expect(check(offline, 'clock_skew')).toMatchObject({ ran: false })
  })

  it('answers when the store is damaged, and prints words (no colour) for a person', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-doctor-'))
    writeFileSync(join(dir, 'inbox.sqlite'), 'SQLite format 3\0' + 'x'.repeat(5000))
    writeFileSync(join(dir, 'config.json'), '{ not json')
    const run = await doctor([], { PARLEY_DATA_DIR: dir, PARLEY_SECRET_STORE: 'memory' })
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('Problem  Store integrity')
    expect(run.stdout).toContain('Warning  Settings file')
    expect(run.stdout).toMatch(/Fix: /)
    expect(run.stdout).not.toContain('\u001b[')
    expect(run.stderr).toBe('')
  })

  const hasSecretService = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) && openKeytarStore() !== null
  it.runIf(hasSecretService)('reads page tokens from the keychain: an unpublished page is a Problem in --json', async () => {
    const env = await dataFolder({ secretStore: openKeytarStore()! })
    const healthy = await doctor(['--json'], env)
    expect(check(healthy, 'token')).toMatchObject({ verdict: 'ok' })
    expect(check(healthy, 'keychain')).toMatchObject({ verdict: 'ok' })
    await core!.control('page', { pageId: PAGES.nordlicht, published: false })
    const run = await doctor(['--json'], env)
    expect(run.code).toBe(2)
    expect(check(run, 'page')).toMatchObject({ verdict: 'problem', fix: expect.stringContaining('Publish the Page') })
  })

  it.runIf(hasSecretService)('names a revoked permission, a filled rate limit and then a changed password in --json', async () => {
    const env = await dataFolder({ secretStore: openKeytarStore()! })
    const appToken = `${core!.sandbox.appId}|${core!.sandbox.appSecret}`
    await fetch(`${core!.sandbox.url}/v25.0/100090000000101/permissions/instagram_manage_messages?access_token=${encodeURIComponent(appToken)}`, { method: 'DELETE' })
    await core!.control('limits', { appCallsPerHour: 4 })
    const revoked = await doctor(['--json'], env)
    expect(revoked.code).toBe(2)
    expect(check(revoked, 'scopes')).toMatchObject({ verdict: 'problem', cause: expect.stringContaining('instagram_manage_messages'), fix: expect.stringContaining('Recreate the integration') })
    expect(check(revoked, 'rate_limit')?.cause).toMatch(/% of a rate limit used/)
    await core!.control('limits', { appCallsPerHour: 100000 })
    await core!.control('password', { userId: '100090000000101', password: 'another-password-2' })
    const changed = await doctor(['--json'], env)
    expect(check(changed, 'token')).toMatchObject({ verdict: 'problem', cause: expect.stringMatching(/password/i) })
  })
})
