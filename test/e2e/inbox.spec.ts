import type { Page } from '@playwright/test'
import { completeFacebookLogin, expect, test, type SandboxControl } from './fixtures.ts'

const ALL_PAGES = ['Nordlicht Kaffeerösterei', 'Hafenblick Hotel', 'Waldmeister Fahrräder', 'Kiezbäckerei Sommer', 'Studio Lindgren']

/** A supervisor connects @nordlicht.kaffee, as in the integrations tests. */
async function connectNordlicht(page: Page, url: string) {
  await page.goto(url)
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
async function leaWrites(page: Page, text: string) {
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
async function moveClock(page: Page, by: { preset: string; advance: string } | { advance: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandbox' }).click()
  if ('preset' in by) {
    await page.getByRole('button', { name: by.preset }).click()
  } else {
    await page.getByLabel('Advance by').fill(by.advance)
    await page.getByRole('button', { name: 'Advance', exact: true }).click()
  }
  await expect(page.getByRole('listitem').filter({ hasText: `The clock moved by ${by.advance}` })).toBeVisible()
}

const sentTypes = async (control: SandboxControl) =>
  (await control.get<{ data: { messaging_type: string; tag?: string; outcome: string }[] }>('sent')).data.map((s) => [s.messaging_type, s.tag ?? null, s.outcome])

test('a customer writes, the agent sees it live; replies follow the windows at their edges', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'Is the café open on Sunday?')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  const row = page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first()
  await expect(row).toContainText('Is the café open on Sunday?')
  await row.click()
  await expect(page.getByText('Is the café open on Sunday?').last()).toBeVisible()
  const conversation = page.url()

  const reply = async (text: string) => {
    await page.goto(conversation)
    await page.getByLabel('Reply', { exact: true }).fill(text)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect(page.getByText(text).last()).toBeVisible()
  }

  // 23 h 59 m after the customer's message: a standard response.
  await moveClock(page, { preset: '+23 h 59 m', advance: '23h59m' })
  await reply('Yes, from 9 to 5.')
  await expect.poll(() => sentTypes(control)).toEqual([['RESPONSE', null, 'accepted']])

  // 24 h 1 m: only a human agent may answer.
  await moveClock(page, { advance: '2m' })
  await reply('Sorry for the late answer.')
  await expect.poll(() => sentTypes(control)).toEqual([
    ['RESPONSE', null, 'accepted'],
    ['MESSAGE_TAG', 'HUMAN_AGENT', 'accepted'],
  ])

  // 7 d 1 m: nothing may be sent; the composer says why.
  await moveClock(page, { advance: '6d23h' })
  await page.goto(conversation)
  await expect(page.getByLabel('Reply', { exact: true })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
  await expect(page.getByText(/7 days/).first()).toBeVisible()
  expect(await sentTypes(control)).toHaveLength(2)
})

test('an unsent message is shown as withdrawn and its text is gone', async ({ page, parley }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'please-forget-this-sentence')
  await page.getByRole('button', { name: 'Unsend' }).first().click()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  await page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first().click()
  await expect(page.getByText('Message withdrawn by the customer').first()).toBeVisible()
  await expect(page.getByText('please-forget-this-sentence')).toHaveCount(0)
})
