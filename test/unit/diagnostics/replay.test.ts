// T4: webhook payloads replayed into the sandbox — from files with `npm run doctor -- replay`, and
// from the event log in Diagnostics — with ids mapped onto the seed business and each result told.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSeedMapper } from '../../../src-main/core/diagnostics/replay.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'

const script = fileURLToPath(new URL('../../../scripts/doctor.ts', import.meta.url))
const NORDLICHT_IG = '17841401234567801'
const LEA_AT_NORDLICHT = '6618576110568109'

function doctor(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout }))
  })
}

/** A payload as another business's Meta sent it: its own Instagram account and customer ids. */
const foreignPayload = (mid: string, text: string) => ({
  object: 'instagram',
  entry: [{ id: '17841499999999999', time: Date.now(), messaging: [{ sender: { id: '7777777777777777' }, recipient: { id: '17841499999999999' }, timestamp: Date.now(), message: { mid, text } }] }],
})

let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox({ eventLog: true })
  await core.connectNordlicht()
})
afterEach(async () => {
  await core.close()
})

describe('replay', () => {
  it('maps another business’s ids onto the seed business, the same id always onto the same one', () => {
    const mapper = createSeedMapper({
      pages: [{ instagram: { id: NORDLICHT_IG, linked: true, professional: true } }],
      customers: [{ id: 'lea', igsids: { [NORDLICHT_IG]: LEA_AT_NORDLICHT } }],
      webhookSubscription: null,
    })
    const first = mapper.map(foreignPayload('m1', 'a'))
    expect(first.mapped).toEqual({ '17841499999999999': NORDLICHT_IG, '7777777777777777': LEA_AT_NORDLICHT })
    const entry = (first.payload.entry as { id: string; messaging: { sender: { id: string }; recipient: { id: string } }[] }[])[0]!
    expect(entry).toMatchObject({ id: NORDLICHT_IG, messaging: [{ sender: { id: LEA_AT_NORDLICHT }, recipient: { id: NORDLICHT_IG } }] })
    expect(mapper.map(foreignPayload('m2', 'b')).mapped).toEqual(first.mapped)
  })

  it('npm run doctor -- replay FILE… delivers each file into the sandbox and reports each; a file that is no payload is refused (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-replay-'))
    writeFileSync(join(dir, 'one.json'), JSON.stringify(foreignPayload('aWdfZAG1replay0001', 'Wo bleibt meine Bestellung?')))
    writeFileSync(join(dir, 'broken.json'), '{"object": "instagram", "entry": [')
    const good = await doctor(['replay', join(dir, 'one.json')], { PARLEY_DATA_DIR: core.dataDir, ...core.env })
    expect(good.stdout).toMatch(/^OK +.*one\.json: Delivered: Parley answered 200\. Ids mapped onto the seed business: 17841499999999999 → 17841401234567801/m)
    expect(good.code).toBe(0)
    const stored = await until(() => core.store.messages.get('aWdfZAG1replay0001'), (m) => m !== null)
    expect(stored).toMatchObject({ text: 'Wo bleibt meine Bestellung?', direction: 'inbound' })

    const mixed = await doctor(['replay', '--json', join(dir, 'one.json'), join(dir, 'broken.json')], { PARLEY_DATA_DIR: core.dataDir, ...core.env })
    expect(mixed.code).toBe(2)
    const { results } = JSON.parse(mixed.stdout) as { results: { label: string; ok: boolean; outcome: string }[] }
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(results[1]!.outcome).toMatch(/^Refused: It cannot be read as JSON/)
  })

  it('replays a payload recorded (redacted) in the event log from Diagnostics', async () => {
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Habt ihr heute offen?' })
    const entries = await until(async () => core.parley.diagnostics.log({}), (e) => e.some((x) => x.message === 'webhook received'))
    const recorded = entries.find((e) => e.message === 'webhook received')!
    const [result] = await core.parley.diagnostics.replay({ logTimes: [recorded.time] })
    expect(result).toMatchObject({ label: `log ${recorded.time}`, ok: true, status: 200 })
  })

  it('without a sandbox, doctor replay says what it needs', async () => {
    const run = await doctor(['replay', 'x.json'], { PARLEY_DATA_DIR: core.dataDir })
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('npm run sandbox')
  })
})
