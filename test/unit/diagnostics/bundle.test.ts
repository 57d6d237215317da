// T3: Export bundle writes one file with nothing secret in it; Open bundle reads it on another
// Parley (another data folder, no network), marked as imported and kept out of its store.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BundleError } from '../../../src-main/core/diagnostics/bundle.ts'
import { createParleySecrets } from '../../../src-main/core/secrets/secretStore.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'

const NORDLICHT_IG = '17841401234567801'
const cores: Awaited<ReturnType<typeof startCoreOnSandbox>>[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()))
})

async function exported() {
  const core = await startCoreOnSandbox({ eventLog: true })
  cores.push(core)
  const integration = await core.connectNordlicht()
  await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Meine Telefonnummer ist 0171 5550123' })
  await core.control('inbound', { to: NORDLICHT_IG, from: 'tomas', story_mention: true })
  await until(async () => core.parley.diagnostics.log({}), (e) => e.filter((x) => x.message === 'webhook received').length >= 2)
  const state = (await (await fetch(`${core.sandbox.url}/__sandbox/state`)).json()) as { users: { password: string }[] }
  const token = (await createParleySecrets(core.secretStore, 'test-installation').pageToken(integration.id).get())!
  const { path, bundle } = await core.parley.diagnostics.exportBundle()
  return { core, integration, token, path, bundle, passwords: state.users.map((u) => u.password) }
}

describe('Export bundle', () => {
  it('writes one file in the data folder with checks, log, store statistics and versions — and no token, App Secret, story URL or message text', async () => {
    const { core, token, path, passwords } = await exported()
    expect(dirname(path)).toBe(join(core.dataDir, 'bundles'))
    const text = readFileSync(path, 'utf8')
    const { bundle } = JSON.parse(text) as { bundle: Record<string, unknown> }
    expect(bundle).toMatchObject({ format: 'parley-diagnostics-bundle', parley: { version: '1.0.0', mode: 'sandbox', engine: 'sqlite' }, system: { node: process.versions.node } })
    expect((bundle.checks as { checks: unknown[] }).checks.length).toBeGreaterThan(5)
    expect((bundle.store as { rows: { messages: number } }).rows.messages).toBeGreaterThan(0)
    expect((bundle.log as unknown[]).length).toBeGreaterThan(0)
    for (const secret of [token, core.sandbox.appSecret, ...passwords]) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/EAA[A-Za-z0-9]{16,}/)
    expect(text).not.toMatch(/https?:\/\//)
    expect(text).not.toContain('/cdn/')
    expect(text).not.toContain('0171 5550123')
  })
})

describe('Open bundle', () => {
  it('opens on a second Parley with another data folder and Graph off the network, and adds nothing to its store', async () => {
    const { path, integration } = await exported()
    const second = await startCoreOnSandbox({ eventLog: true })
    cores.push(second)
    await second.control('faults', { path: '/**', drop: true })
    const before = await second.store.stats()
    const bundle = second.parley.diagnostics.openBundle(path)
    expect(bundle.integrations.map((i) => i.id)).toEqual([integration.id])
    expect(bundle.checks.checks.find((c) => c.id === 'token' && c.integrationId === integration.id)).toMatchObject({ verdict: 'ok' })
    expect(bundle.log.some((e) => e.message === 'webhook received')).toBe(true)
    expect((await second.store.stats()).rows).toEqual(before.rows)
    expect(await second.store.integrations.list()).toEqual([])
  })

  it('refuses a damaged file, a foreign file and a newer format in plain words', async () => {
    const { path } = await exported()
    const text = readFileSync(path, 'utf8')
    const cut = `${path}.cut.json`
    writeFileSync(cut, text.slice(0, text.length / 2))
    expect(() => cores[0]!.parley.diagnostics.openBundle(cut)).toThrow(/damaged/)
    const edited = `${path}.edited.json`
    writeFileSync(edited, text.replace('"mode":"sandbox"', '"mode":"live"').replace('"mode": "sandbox"', '"mode": "live"'))
    expect(() => cores[0]!.parley.diagnostics.openBundle(edited)).toThrow(/does not match its checksum/)
    const foreign = `${path}.foreign.json`
    writeFileSync(foreign, JSON.stringify({ name: 'parley', version: '1.0.0' }))
    expect(() => cores[0]!.parley.diagnostics.openBundle(foreign)).toThrow(/not a Parley diagnostic bundle/)
    try {
      cores[0]!.parley.diagnostics.openBundle(foreign)
    } catch (error) {
      expect(error).toBeInstanceOf(BundleError)
      expect((error as BundleError).code).toBe('bundle_foreign')
    }
    const missing = join(dirname(path), 'nothing-here.json')
    expect(() => cores[0]!.parley.diagnostics.openBundle(missing)).toThrow(/cannot be read/)
  })
})

describe('through the contract', () => {
  it('runs the checks, exports, and opens a bundle the window read; a damaged one is a clear error', async () => {
    const { core, path } = await exported()
    const report = await core.call<{ checks: { id: string }[] }>('diagnostics.run')
    expect(report.checks.map((c) => c.id)).toContain('token')
    const { path: written } = await core.call<{ path: string }>('diagnostics.exportBundle')
    expect(written).toMatch(/parley-diagnostics-.*\.json$/)
    const opened = await core.call<{ integrations: { name: string }[]; log: { replayable: boolean }[] }>('diagnostics.openBundle', { name: 'b.json', text: readFileSync(path, 'utf8') })
    expect(opened.integrations.map((i) => i.name)).toEqual(['Nordlicht DMs'])
    expect(opened.log.some((e) => e.replayable)).toBe(true)
    await expect(core.call('diagnostics.openBundle', { name: 'b.json', text: '{"checksum":' })).rejects.toMatchObject({ code: 'bundle_damaged', message: expect.stringContaining('b.json') })
    expect(await core.call('diagnostics.settings')).toEqual({ includeMessageText: false })
    expect(await core.call('diagnostics.setSettings', { includeMessageText: true })).toEqual({ includeMessageText: true })
  })
})
