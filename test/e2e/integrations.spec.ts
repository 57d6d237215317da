import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, STORE_FILE_NAME } from '../../src-main/core/store/index.ts'
import type { Page } from '@playwright/test'
import { startBrowserHostProcess } from '../fixtures/browserHost.ts'
import { filesUnder } from '../fixtures/dataDir.ts'
import { completeFacebookLogin, expect, test } from './fixtures.ts'
import { ALL_PAGES } from './steps.ts'


const NORDLICHT = '108472910384756'

async function openPlatforms(page: Page, url: string) {
  await page.goto(url)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click()
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await expect(page.getByRole('heading', { name: 'Platforms', exact: true })).toBeVisible()
}

/** New integration → Instagram Direct → Instagram Login, with the person completing Facebook's dialog. */
async function logIn(page: Page, choice: { pages: string[]; uncheck?: string[]; button?: 'Continue' | 'Cancel' }) {
  const popupOpened = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Instagram Login' }).click()
  const popup = await popupOpened
  await completeFacebookLogin(popup, choice)
  return popup
}

async function choosePage(page: Page, name: string) {
  const select = page.getByLabel('Page name')
  const value = await select.locator('option', { hasText: name }).getAttribute('value')
  await select.selectOption(value!)
}

async function startNewIntegration(page: Page) {
  await page.getByRole('link', { name: 'New integration' }).or(page.getByRole('button', { name: 'New integration' })).click()
  await page.getByRole('button', { name: 'Instagram Direct' }).click()
}

async function createIntegration(page: Page, pageName: string, name: string) {
  await startNewIntegration(page)
  await logIn(page, { pages: ALL_PAGES })
  await expect(page.getByText('Logged in as Maria Schmidt')).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill(name)
  await choosePage(page, pageName)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeVisible()
}

/** No token, and not the app secret, in any file Parley wrote (X1). */
function expectNoSecretsIn(dir: string, appSecret: string) {
  const files = filesUnder(dir)
  expect(files.length).toBeGreaterThan(0)
  for (const file of files) {
    const content = readFileSync(file, 'latin1')
    expect(content, file).not.toMatch(/EAAB[\w-]{16,}/)
    expect(content, file).not.toContain(appSecret)
  }
}

test('a full creation: login, page, Save becomes Delete, supported content and story switches kept', async ({ page, parley, control }) => {
  await openPlatforms(page, parley.url)
  await createIntegration(page, 'Nordlicht Kaffeerösterei', 'Nordlicht DMs')

  const state = await control.get<{ subscribedPages: Record<string, string[]> }>('state')
  expect(state.subscribedPages[NORDLICHT]).toContain('messages')

  await expect(page.getByLabel('Supported content')).toHaveValue('default')
  await page.getByLabel('Story mentions').uncheck()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.reload()
  await expect(page.getByLabel('Story mentions')).not.toBeChecked()
  await expect(page.getByLabel('Story replies')).toBeChecked()

  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  const row = page.getByRole('article', { name: 'Nordlicht DMs' })
  await expect(row).toContainText('Active')
  await expect(row).toContainText('@nordlicht.kaffee')
  await expect(row).toContainText(/never/i)
  expectNoSecretsIn(parley.dataDir, control.appSecret)
})

test('an unpublished page is refused at Save with its fix, and saved once published', async ({ page, parley, control }) => {
  await openPlatforms(page, parley.url)
  await startNewIntegration(page)
  await logIn(page, { pages: ALL_PAGES })
  await page.getByLabel('Name', { exact: true }).fill('Waldmeister')
  await choosePage(page, 'Waldmeister')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const checklist = page.getByRole('region', { name: 'Prerequisites' })
  await expect(checklist.getByRole('listitem').first()).toContainText('The Facebook Page is published')
  await expect(checklist.getByRole('listitem').first()).toContainText('Publish the Page')
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeVisible()

  await control.post('page', { pageId: '108472910384758', published: true })
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeVisible()
})

test('a page without a linked professional account is offered but cannot be chosen, with the reason', async ({ page, parley }) => {
  await openPlatforms(page, parley.url)
  await startNewIntegration(page)
  await logIn(page, { pages: ALL_PAGES })
  const select = page.getByLabel('Page name')
  await expect(select.getByRole('option', { name: /Kiezbäckerei Sommer/ })).toBeDisabled()
  await expect(select.getByRole('option', { name: /Kiezbäckerei Sommer/ })).toContainText(/link an Instagram professional account/i)
  await expect(select.getByRole('option', { name: /Studio Lindgren/ })).toBeDisabled()
  await expect(select.getByRole('option', { name: /Nordlicht/ })).toBeEnabled()
})

test('a page already integrated cannot be chosen again', async ({ page, parley }) => {
  await openPlatforms(page, parley.url)
  await createIntegration(page, 'Nordlicht Kaffeerösterei', 'Nordlicht DMs')
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await startNewIntegration(page)
  await logIn(page, { pages: [] })
  const option = page.getByLabel('Page name').getByRole('option', { name: /Nordlicht Kaffeerösterei/ })
  await expect(option).toBeDisabled()
  await expect(option).toContainText('Nordlicht DMs')
})

test('a further login that drops an integrated page is refused, saying every page must stay selected', async ({ page, parley }) => {
  await openPlatforms(page, parley.url)
  await createIntegration(page, 'Nordlicht Kaffeerösterei', 'Nordlicht DMs')
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await startNewIntegration(page)
  await logIn(page, { pages: [], uncheck: ['Nordlicht Kaffeerösterei'] })
  await expect(page.getByRole('alert')).toContainText('Nordlicht DMs')
  await expect(page.getByLabel('Page name')).toHaveCount(0)
})

test('after a password change the integration is Disconnected with the reason, and Recreate restores it', async ({ page, parley, control }) => {
  await openPlatforms(page, parley.url)
  await createIntegration(page, 'Nordlicht Kaffeerösterei', 'Nordlicht DMs')
  await control.post('password', { userId: '100090000000101' })
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await page.getByRole('button', { name: 'Check now' }).click()
  const row = page.getByRole('article', { name: 'Nordlicht DMs' })
  await expect(row).toContainText('Disconnected')
  await expect(row).toContainText(/password/i)

  // Recreate goes straight to Facebook's login: the same page, the same integration.
  const popupOpened = page.waitForEvent('popup')
  await row.getByRole('button', { name: 'Recreate' }).click()
  await completeFacebookLogin(await popupOpened, { pages: [] })
  await expect(row).toContainText('Active')
  await expect(row).not.toContainText('Disconnected')
  await page.reload()
  await expect(page.getByRole('article', { name: 'Nordlicht DMs' })).toContainText('Active')
})

test('Cancel ends the Facebook session: the next Instagram Login asks for the password again', async ({ page, parley }) => {
  await openPlatforms(page, parley.url)
  await startNewIntegration(page)
  await logIn(page, { pages: ALL_PAGES })
  await expect(page.getByText('Logged in as Maria Schmidt')).toBeVisible()
  await page.getByRole('button', { name: 'Cancel', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Platforms', exact: true })).toBeVisible()

  await startNewIntegration(page)
  const popupOpened = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Instagram Login' }).click()
  const popup = await popupOpened
  await expect(popup.getByLabel('Email or phone')).toBeVisible()
  await expect(popup.getByLabel('Password')).toBeVisible()
})

test('Delete warns, unsubscribes the page and forgets its token', async ({ page, parley, control }) => {
  await openPlatforms(page, parley.url)
  await createIntegration(page, 'Nordlicht Kaffeerösterei', 'Nordlicht DMs')
  const config = JSON.parse(readFileSync(join(parley.dataDir, 'config.json'), 'utf8')) as { installationId: string }
  // The integration is in the store (read beside the running Parley, as a second reader of its file).
  const store = openStore(join(parley.dataDir, STORE_FILE_NAME))
  const [integration] = await store.integrations.listAll()
  await store.close()
  const account = `${config.installationId}/integration/${integration!.id}/page-token`
  // Where a Secret Service runs (CI), Parley keeps the token in the real keychain: check it there.
  const keytar = process.env.DBUS_SESSION_BUS_ADDRESS ? await import('keytar').then((m) => m.default).catch(() => null) : null
  if (keytar) expect(await keytar.getPassword('Parley', account)).toMatch(/^EAAB/)

  await page.getByRole('button', { name: 'Delete', exact: true }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText(/can no longer be answered/i)
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Platforms', exact: true })).toBeVisible()
  await expect(page.getByText('No integrations yet.')).toBeVisible()
  const state = await control.get<{ subscribedPages: Record<string, string[]> }>('state')
  expect(state.subscribedPages[NORDLICHT] ?? []).toEqual([])
  if (keytar) expect(await keytar.getPassword('Parley', account)).toBeNull()
  expectNoSecretsIn(parley.dataDir, control.appSecret)
})

test('the Meta app: App ID and a write-only App Secret switch Parley to live mode, and back to the sandbox', async ({ page, parley }) => {
  await openPlatforms(page, parley.url)
  const section = page.getByRole('region', { name: 'Meta app' })
  await expect(page.getByRole('contentinfo')).toContainText('Sandbox app')
  await section.getByLabel('App ID').fill('not a number')
  await section.getByLabel('App Secret').fill('0123456789abcdef0123456789abcdef')
  await section.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(section).toContainText('An App ID is a number')

  await section.getByLabel('App ID').fill('987654321012345')
  await section.getByLabel('App Secret').fill('0123456789abcdef0123456789abcdef')
  await section.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByRole('contentinfo')).toContainText('Mode: Live')
  await expect(page.getByRole('contentinfo')).toContainText('App 987654321012345')
  await expect(section.getByLabel('App Secret')).toHaveValue('')
  expectNoSecretsIn(parley.dataDir, '0123456789abcdef0123456789abcdef')

  await section.getByRole('button', { name: 'Use the sandbox' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Use the sandbox' }).click()
  await expect(page.getByRole('contentinfo')).toContainText('Mode: Sandbox')
})

test('a workstation set up for an agent shows no Admin', async ({ page, sandbox }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-agent-'))
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ localUser: { profile: 'agent' } }))
  const host = await startBrowserHostProcess({
    PARLEY_DATA_DIR: dataDir,
    PARLEY_SANDBOX_URL: sandbox.url,
    PARLEY_SANDBOX_APP_ID: sandbox.appId,
    PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret,
  })
  try {
    await page.goto(host.url)
    await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Inbox', 'Sandbox'])
    await page.goto(`${host.url}#/admin/message/platforms`)
    await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  } finally {
    await host.stop()
  }
})
