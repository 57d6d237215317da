import { expect, test } from './fixtures.ts'
import { connectNordlicht, leaWrites } from './steps.ts'

// R1, R6 on a workstation: the supervisor makes a queue, sends invoices to it by a rule, and sees a
// customer's message land there in Queue activity.
test('a queue and a rule made in Admin route a customer’s message, as Queue activity shows live', async ({ page, parley }) => {
  await connectNordlicht(page, parley.url)
  const adminSections = page.getByRole('navigation', { name: 'Admin sections' })

  await adminSections.getByRole('group', { name: 'Contact center' }).getByRole('link', { name: 'Queues' }).click()
  await expect(page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /Nordlicht DMs/ })).toContainText('Default queue of Nordlicht DMs')
  await page.getByRole('button', { name: 'Add queue' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Billing')
  await page.getByLabel('Alert timeout').fill('3')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByText('Use 7 to 900 seconds.')).toBeVisible()
  await page.getByLabel('Alert timeout').fill('45')
  await page.getByLabel('New wrap-up code').fill('Paid')
  await page.getByRole('button', { name: 'Add wrap-up code' }).click()
  await page.getByRole('group', { name: 'After-conversation work' }).getByLabel('Mandatory').check()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByText('The queue “Billing” was added.')).toBeVisible()
  const billing = page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /Billing/ })
  await expect(billing).toContainText('45 s')
  await expect(billing).toContainText('Mandatory')

  await adminSections.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Message routing' }).click()
  await expect(page.getByLabel('Integration')).toHaveValue(/.+/)
  await page.getByRole('button', { name: 'Add rule' }).click()
  const rule = page.getByRole('group', { name: 'Rule 1' })
  await expect(rule.getByLabel('Condition')).toHaveValue('contains')
  await rule.getByLabel('Keywords').fill('invoice, refund')
  await rule.getByLabel('Queue').selectOption({ label: 'Billing' })
  await page.getByRole('form', { name: 'Rules of Nordlicht DMs' }).getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('The rules of Nordlicht DMs were saved.')).toBeVisible()

  await leaWrites(page, 'Where is my invoice?')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click()
  await adminSections.getByRole('link', { name: 'Queue activity' }).click()
  // The workstation's one agent takes it at once (Auto-answer): interacting in Billing.
  const queues = page.getByRole('table', { name: 'Queues' })
  await expect(queues.getByRole('row', { name: /Billing/ }).getByRole('cell').nth(1)).toHaveText('1')
  await expect(queues.getByRole('row', { name: /Nordlicht DMs/ }).getByRole('cell').nth(1)).toHaveText('0')
  const agent = page.getByRole('table', { name: 'Agents' }).getByRole('row', { name: /Local user/ })
  await expect(agent).toContainText('On queue')
  await expect(agent).toContainText('1 / ')

  // Billing cannot go while a conversation is open in it: main says so, plainly.
  await adminSections.getByRole('link', { name: 'Queues' }).click()
  await page.getByRole('button', { name: 'Delete: Billing' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByRole('alert')).toContainText('The queue “Billing” was not deleted:')
})
