import { expect, test } from './fixtures.ts'

test('Admin → Message → Platforms, switched to German, stays German after a reload', async ({ page, parley }) => {
  const problems: string[] = []
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
  page.on('pageerror', (error) => problems.push(error.message))

  await page.goto(parley.url)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await expect(page.getByRole('contentinfo')).toContainText('Mode: Sandbox')
  await expect(page.getByRole('contentinfo').getByRole('status')).toHaveText(/Connected/)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click()
  const adminSections = page.getByRole('navigation', { name: 'Admin sections' })
  await adminSections.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).click()
  await expect(page.getByRole('heading', { name: 'Platforms' })).toBeVisible()
  await expect(page.getByText('No integrations yet.')).toBeVisible()

  await page.getByLabel('Language').selectOption({ label: 'Deutsch' })
  await expect(page.getByRole('heading', { name: 'Plattformen' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Posteingang' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'de')

  await page.reload()
  await expect(page.getByRole('heading', { name: 'Plattformen' })).toBeVisible()
  await expect(page.getByRole('group', { name: 'Nachricht' })).toBeVisible()
  await expect(page.getByRole('contentinfo')).toContainText('Modus: Sandbox')
  await expect(page.getByRole('contentinfo').getByRole('status')).toHaveText(/Verbunden/)
  await expect(page.getByLabel('Sprache')).toHaveValue('de')

  expect(problems).toEqual([])
})

test('everything can be reached and used from the keyboard', async ({ page, parley }) => {
  await page.goto(parley.url)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()

  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()

  await page.getByRole('link', { name: 'Admin' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('group', { name: 'Message' }).getByRole('link', { name: 'Platforms' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Platforms' })).toBeVisible()

  await page.getByLabel('Theme').focus()
  await page.keyboard.press('ArrowDown')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
})

test('without the launch key the address answers nothing but how to get in', async ({ page, parley }) => {
  const withoutKey = parley.url.replace(/\?key=.*/, '')
  const response = await page.goto(withoutKey)
  expect(response?.status()).toBe(403)
  await expect(page.getByText('needs the key Parley printed')).toBeVisible()

  const wrongKey = `${withoutKey}?key=not-the-key`
  expect((await page.goto(wrongKey))?.status()).toBe(403)
})

test('when Parley stops, the window says so instead of pretending to reconnect', async ({ page, parley }) => {
  await page.goto(parley.url)
  // The status bar's connection, not the inbox's own "Loading…" status.
  const connection = page.getByRole('contentinfo').getByRole('status')
  await expect(connection).toHaveText(/Connected/)
  await parley.stop()
  await expect(connection).toHaveText(/Parley has stopped/)
})

test('the dark theme darkens the window and is kept across a reload', async ({ page, parley }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(parley.url)
  const body = page.locator('body')
  await expect(body).toHaveCSS('background-color', 'rgb(246, 247, 249)')
  await page.getByLabel('Theme').selectOption({ label: 'Dark' })
  await expect(body).toHaveCSS('background-color', 'rgb(21, 23, 27)')
  await page.reload()
  await expect(page.getByLabel('Theme')).toHaveValue('dark')
  await expect(body).toHaveCSS('background-color', 'rgb(21, 23, 27)')
})
