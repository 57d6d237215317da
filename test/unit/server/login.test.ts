import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBrowserHost, type BrowserHost } from '../../../src-main/server/browserHost.ts'
import { startCoreOnSandbox } from '../../fixtures/coreOnSandbox.ts'
import { MARIA, PAGES, SandboxPerson } from '../../fixtures/sandboxDialog.ts'

let host: BrowserHost | undefined
let core: Awaited<ReturnType<typeof startCoreOnSandbox>> | undefined
afterEach(async () => {
  await host?.close()
  await core?.close()
  host = core = undefined
})

async function start() {
  core = await startCoreOnSandbox()
  host = await startBrowserHost({ parley: core.parley, rendererDir: mkdtempSync(join(tmpdir(), 'r-')), port: 0, key: 'k'.repeat(32) })
  return { core, host }
}

describe('Facebook Login through the browser host', () => {
  it('uses the code flow with a loopback callback, completes the login there, then logs the popup out of Facebook', async () => {
    const { core, host } = await start()
    const { popupUrl } = await core.call<{ loginId: string; popupUrl: string }>('login.start', { purpose: 'create' })
    const dialog = new URL(popupUrl)
    expect(dialog.searchParams.get('response_type')).toBe('code')
    expect(dialog.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${host.port}/auth/callback`)

    const person = new SandboxPerson(MARIA.email, MARIA.password)
    const redirect = await person.complete(popupUrl, { pageIds: Object.values(PAGES) })
    expect(redirect).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/auth/callback\\?code=`))
    expect(redirect).not.toContain('access_token')

    // The callback needs no launch key: the state proves the login is Parley's.
    const callback = await fetch(redirect, { redirect: 'manual' })
    expect(callback.status).toBe(302)
    const logout = new URL(callback.headers.get('location')!)
    expect(`${logout.origin}${logout.pathname}`).toBe(`${core.sandbox.url}/logout.php`)
    expect(logout.searchParams.get('next')).toBe(`http://127.0.0.1:${host.port}/auth/done`)
    expect(core.events.find((e) => e.name === 'login.finished')).toMatchObject({ payload: { outcome: 'ok', person: 'Maria Schmidt' } })

    const done = await fetch(logout.searchParams.get('next')!)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('/auth/close.js')
  })

  it('refuses a callback Parley did not start, and the same callback twice', async () => {
    const { core, host } = await start()
    const forged = await fetch(`http://127.0.0.1:${host.port}/auth/callback?code=abc&state=not-ours`, { redirect: 'manual' })
    expect(forged.status).toBe(400)
    expect(await forged.text()).toContain('not started by Parley')

    const { popupUrl } = await core.call<{ popupUrl: string }>('login.start', { purpose: 'create' })
    const redirect = await new SandboxPerson(MARIA.email, MARIA.password).complete(popupUrl, { pageIds: [PAGES.nordlicht] })
    expect((await fetch(redirect, { redirect: 'manual' })).status).toBe(302)
    expect((await fetch(redirect, { redirect: 'manual' })).status).toBe(400)
  })
})
