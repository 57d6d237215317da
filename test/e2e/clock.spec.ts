import { expect, test } from './fixtures.ts'
import { connectNordlicht, openConversationWith } from './steps.ts'

// A3: the reply window follows Meta's clock as main knows it, whoever moves it — here only the
// sandbox's control API, as a test or a person at `npm run sandbox` would, never Parley's own view.
test('moving the sandbox clock from outside Parley turns the open composer to HUMAN_AGENT, then closes it with the reason', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await control.post('inbound', { to: 'nordlicht.kaffee', from: 'lea', text: 'Do you ship to Vienna?' })
  await openConversationWith(page, 'Lea Hoffmann')
  const composer = page.locator('form.composer')
  await expect(composer.locator('[data-window]')).toContainText('Standard reply')
  // A day less however long the page took (give or take the milliseconds between the clocks).
  await expect(composer.locator('[data-window]')).toContainText(/(23 h 59 min|1 d 0 h) left to reply/)

  await control.post('clock', { advance: '25h' })
  await expect(composer.locator('[data-window]')).toContainText('Human agent reply (up to 7 days)')
  await expect(composer.locator('[data-window]')).toContainText(/5 d 2[23] h left to reply/)
  await expect(page.getByLabel('Reply', { exact: true })).toBeEnabled()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled()

  await control.post('clock', { advance: '144h' })
  await expect(page.getByLabel('Reply', { exact: true })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
  await expect(composer.locator('[data-composer-disabled]')).toContainText('7 days')
  // The list's row says so too.
  await expect(page.getByRole('option', { name: /Lea Hoffmann/ }).locator('[data-window="closed"]')).toBeVisible()
})
