// T1–T3 in the window: a supervisor runs the checks after things were broken through the sandbox's
// control API, reads the event log and exports a bundle.
import { expect, test } from './fixtures.ts'
import { connectNordlicht, leaWrites } from './steps.ts'

const NORDLICHT_PAGE = '108472910384756'

test('Diagnostics names the unpublished page and the moved clock with their fixes; the log shows the delivery; a bundle is exported', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'Habt ihr heute Espresso-Bohnen?')

  await page.getByRole('link', { name: 'Admin' }).click()
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Diagnostics' }).click()
  const checks = page.getByRole('list', { name: 'Checks' })
  const check = (title: string) => checks.getByRole('listitem').filter({ hasText: title })
  await expect(check('Meta reachable').locator('[data-verdict-label]')).toHaveText('OK')
  await expect(check('Webhook deliveries — Nordlicht DMs').locator('[data-verdict-label]')).toHaveText('OK')
  await expect(page.getByRole('table', { name: 'Event log' }).getByRole('cell', { name: 'webhook received' }).first()).toBeVisible()

  await control.post('page', { pageId: NORDLICHT_PAGE, published: false })
  await control.post('clock', { advance: '2h' })
  await page.getByRole('button', { name: 'Run checks' }).click()
  const pageCheck = check('Page and Instagram account — Nordlicht DMs')
  await expect(pageCheck.locator('[data-verdict-label]')).toHaveText('Problem')
  await expect(pageCheck).toContainText('The Facebook Page is not published')
  await expect(pageCheck).toContainText('Fix: Publish the Page in its Facebook settings.')
  await expect(check('Clock against Meta').locator('[data-verdict-label]')).toHaveText('Problem')
  await expect(check('Clock against Meta')).toContainText('NTP')

  await page.getByRole('button', { name: 'Export bundle' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Bundle written to' })).toContainText('parley-diagnostics-')
})
