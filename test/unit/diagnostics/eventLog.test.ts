// T2: the event log is redacted at the source, rotates within its size cap, and filters.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventLog } from '../../../src-main/core/diagnostics/eventLog.ts'
import { redactValue } from '../../../src-main/core/diagnostics/redact.ts'
import { createParleySecrets } from '../../../src-main/core/secrets/secretStore.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'

const NORDLICHT_IG = '17841401234567801'
const logText = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('')

describe('redaction', () => {
  it('cuts tokens, secrets, URLs and (unless included) message text out of any fields', () => {
    const fields = {
      access_token: 'EAAGm0PX4ZCpsBAKZCZAaaaaaaaaaaaaaaaaaaa',
      nested: { appSecret: 'abc', note: 'called https://graph.facebook.com/v25.0/me?access_token=EAAB1234567890abcdefgh' },
      message: { text: 'Meine Adresse ist Hauptstraße 5', attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' } }] },
      code: 'window_closed',
      count: 3,
    }
    const hidden = JSON.stringify(redactValue(fields, { includeText: false, secrets: ['abc'] }))
    for (const leak of ['EAAG', 'EAAB', 'lookaside', 'https://', 'Hauptstraße']) expect(hidden).not.toContain(leak)
    expect(hidden).toContain('window_closed')
    expect(hidden).toContain('[text hidden]')
    const shown = JSON.stringify(redactValue(fields, { includeText: true }))
    expect(shown).toContain('Hauptstraße')
    expect(shown).not.toContain('lookaside')
  })
})

describe('the rotating files', () => {
  it('stay under the cap: the oldest file goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'))
    const log = createEventLog({ dir, maxFileBytes: 2_000, maxFiles: 3 })
    for (let i = 0; i < 200; i++) log.info('routing decision', { conversation: `c${i}`, queue: 'Default' })
    const files = readdirSync(dir)
    expect(files.sort()).toEqual(['events.1.log', 'events.2.log', 'events.log'])
    for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(2_000)
    const entries = log.read({ limit: 1000 })
    expect(entries[0]).toMatchObject({ message: 'routing decision', conversation: 'c199' })
    expect(entries.length).toBeLessThan(200)
  })

  it('filters by level, integration and time, newest first', () => {
    let now = Date.parse('2026-05-01T10:00:00Z')
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'))
    const log = createEventLog({ dir, now: () => now })
    log.info('webhook received', { instagram: ['ig-1'] })
    now += 60_000
    log.warn('token check failed', { integration: 'int-2' })
    now += 60_000
    log.error('send failed', { integration: 'int-1' })
    expect(log.read({ level: 'warn' }).map((e) => e.message)).toEqual(['send failed', 'token check failed'])
    expect(log.read({ integration: ['int-1', 'ig-1'] }).map((e) => e.message)).toEqual(['send failed', 'webhook received'])
    expect(log.read({ since: '2026-05-01T10:00:30Z', until: '2026-05-01T10:01:30Z' }).map((e) => e.message)).toEqual(['token check failed'])
    expect(log.lastDelivery(['ig-1'])).toBe(Date.parse('2026-05-01T10:00:00Z'))
  })
})

describe('the event log of a running Parley', () => {
  let core: Awaited<ReturnType<typeof startCoreOnSandbox>> | null = null
  afterEach(async () => {
    await core?.close()
    core = null
  })

  async function receive(includeText: boolean) {
    core = await startCoreOnSandbox({ eventLog: true, includeText })
    const integration = await core.connectNordlicht()
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Bitte an Gartenweg 12 liefern' })
    await core.control('inbound', { to: NORDLICHT_IG, from: 'tomas', story_mention: true })
    await until(async () => core!.parley.diagnostics.log({}), (e) => e.filter((x) => x.message === 'webhook received').length >= 2)
    const token = await createParleySecrets(core.secretStore, 'test-installation').pageToken(integration.id).get()
    return { integration, token: token!, text: logText(join(core.dataDir, 'logs')) }
  }

  it('records receiving without tokens, the App Secret, story URLs or message text (off by default)', async () => {
    const { text, token, integration } = await receive(false)
    expect(text).toContain('webhook received')
    expect(text).not.toContain(token)
    expect(text).not.toContain(core!.sandbox.appSecret)
    expect(text).not.toContain('Gartenweg')
    expect(text).not.toMatch(/https?:\/\//)
    expect(existsSync(join(core!.dataDir, 'logs', 'events.log'))).toBe(true)
    // Filterable by integration: its Instagram account's deliveries belong to it.
    expect(core!.parley.diagnostics.log({ integrationId: integration.id }).some((e) => e.message === 'webhook received')).toBe(true)
  })

  it('keeps message text when Include message text is on — still no URL or token', async () => {
    const { text, token } = await receive(true)
    expect(text).toContain('Gartenweg 12')
    expect(text).not.toContain(token)
    expect(text).not.toMatch(/https?:\/\//)
  })
})
