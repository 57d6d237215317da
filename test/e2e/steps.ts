// What a person does in the window, step by step, shared by the end-to-end tests of the inbox.
import type { Page } from '@playwright/test'
import { completeFacebookLogin, expect, type SandboxControl } from './fixtures.ts'

export const ALL_PAGES = ['Nordlicht Kaffeerösterei', 'Hafenblick Hotel', 'Waldmeister Fahrräder', 'Kiezbäckerei Sommer', 'Studio Lindgren']

/** A supervisor connects @nordlicht.kaffee, as in the integrations tests (opening `url` first, when given). */
export async function connectNordlicht(page: Page, url?: string) {
  if (url) await page.goto(url)
  await page.getByRole('link', { name: 'Admin' }).click()
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await page.getByRole('link', { name: 'New integration' }).or(page.getByRole('button', { name: 'New integration' })).click()
  await page.getByRole('button', { name: 'Instagram Direct' }).click()
  const popup = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Instagram Login' }).click()
  await completeFacebookLogin(await popup, { pages: ALL_PAGES })
  await page.getByLabel('Name', { exact: true }).fill('Nordlicht DMs')
  const select = page.getByLabel('Page name')
  await select.selectOption((await select.locator('option', { hasText: 'Nordlicht' }).getAttribute('value'))!)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeVisible()
}

/** As Lea, through Parley's Sandbox view. */
export async function leaWrites(page: Page, text: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandbox' }).click()
  const account = page.getByLabel('Business account')
  await account.selectOption((await account.locator('option', { hasText: 'nordlicht.kaffee' }).getAttribute('value'))!)
  const customer = page.getByLabel('Customer', { exact: true })
  await customer.selectOption((await customer.locator('option', { hasText: 'Lea Hoffmann' }).getAttribute('value'))!)
  await page.getByLabel('Message text').fill(text)
  await page.getByRole('button', { name: 'Send text' }).click()
  await expect(page.getByRole('listitem').filter({ hasText: 'Text sent.' })).toBeVisible()
}

/** Through the Sandbox view, as a person would: Parley follows the sandbox's clock at once. */
export async function moveClock(page: Page, by: { preset: string; advance: string } | { advance: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandbox' }).click()
  if ('preset' in by) {
    await page.getByRole('button', { name: by.preset }).click()
  } else {
    await page.getByLabel('Advance by').fill(by.advance)
    await page.getByRole('button', { name: 'Advance', exact: true }).click()
  }
  await expect(page.getByRole('listitem').filter({ hasText: `The clock moved by ${by.advance}` })).toBeVisible()
}

export const sentTypes = async (control: SandboxControl) =>
  (await control.get<{ data: { messaging_type: string; tag?: string; outcome: string }[] }>('sent')).data.map((s) => [s.messaging_type, s.tag ?? null, s.outcome])

/** From anywhere: Inbox, then the customer's conversation. */
export async function openConversationWith(page: Page, customer: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  await page.getByRole('option', { name: new RegExp(customer) }).or(page.getByRole('link', { name: new RegExp(customer) })).first().click()
  await expect(page.getByLabel('Reply', { exact: true })).toBeVisible()
}

/** Sign in to Parley on a team server's address, as a person does. */
export async function signInToServer(page: Page, url: string, username: string, password: string) {
  await page.goto(url)
  await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible()
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
}
