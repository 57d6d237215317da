// Live mode's webhook settings in the Meta app section, and receiving after a round trip to live
// mode and back. Meta itself is out of reach here: in live mode Parley says it could not register
// the webhook and polls; back on the sandbox, the webhook is registered again and messages arrive.
import { expect, test } from './fixtures.ts'
import { connectNordlicht, leaWrites } from './steps.ts'

test('the webhook form checks the address and port; after live and back, a customer’s message still arrives', async ({ page, parley }) => {
  await connectNordlicht(page, parley.url)
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  const metaApp = page.locator('section.meta-app')
  await expect(metaApp.getByRole('group', { name: 'Webhook' })).toHaveCount(0)

  await metaApp.getByLabel('App ID').fill('987654321012345')
  await metaApp.getByLabel('App Secret').fill('0123456789abcdef0123456789abcdef')
  await metaApp.getByRole('button', { name: 'Save', exact: true }).first().click()
  const webhook = metaApp.getByRole('group', { name: 'Webhook' })
  await expect(webhook.getByText('Receiving by polling every 30 s')).toBeVisible()

  await webhook.getByLabel('Public webhook address').fill('http://parley.example.com')
  await webhook.getByLabel('Local port').fill('80')
  await webhook.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(webhook.getByText(/Use an https:\/\/ address/)).toBeVisible()
  await expect(webhook.getByText('Use a port from 1024 to 65535.')).toBeVisible()
  await expect(webhook.getByLabel('Public webhook address')).toBeFocused()

  await webhook.getByLabel('Public webhook address').fill('https://parley.example.com')
  await webhook.getByLabel('Local port').fill('47611')
  await webhook.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(webhook.locator('[data-callback-url]')).toHaveText('https://parley.example.com/webhooks/instagram', { timeout: 30_000 })
  await expect(webhook.locator('[data-verify-token]')).toHaveText(/^[\w-]{32}$/)
  await expect(webhook.getByRole('button', { name: 'Copy: Verify token' })).toBeVisible()
  // graph.facebook.com cannot be reached from here: said plainly, and Parley polls meanwhile.
  await expect(webhook.getByText('Parley could not reach Meta to register the webhook.')).toBeVisible()
  await expect(webhook.getByText('Receiving by polling every 30 s')).toBeVisible()

  await metaApp.getByRole('button', { name: 'Use the sandbox' }).click()
  await page.locator('dialog[open]').getByRole('button', { name: 'Use the sandbox' }).click()
  await expect(metaApp.getByText('Parley uses the sandbox’s app again.')).toBeVisible()
  await expect(metaApp.getByRole('group', { name: 'Webhook' })).toHaveCount(0)

  await leaWrites(page, 'Still there after the round trip?')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  await expect(page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first())
    .toContainText('Still there after the round trip?')
})
