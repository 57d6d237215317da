// The sandbox's Facebook Login dialog in real Chromium, driven by visible labels and roles.
import { expect, test } from '@playwright/test'
import { startSandbox, type RunningSandbox } from '../../src-main/sandbox/index.ts'

const LOGIN_SUCCESS = 'https://www.facebook.com/connect/login_success.html'
let sandbox: RunningSandbox
let credentials: { email: string; password: string }

test.beforeAll(async () => {
  sandbox = await startSandbox()
  const state = await (await fetch(`${sandbox.url}/__sandbox/state`)).json() as { users: { email: string; password: string }[] }
  credentials = state.users[0] as { email: string; password: string }
})

test.afterAll(async () => {
  await sandbox.close()
})

test('logs in, picks pages, redirects with a token; the cookie keeps the session until cleared', async ({ page, context }) => {
  // No network here: answer Facebook's desktop redirect target locally so the final URL can be read.
  await context.route(`${LOGIN_SUCCESS}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Success</p>' }))
  const dialog = `${sandbox.url}/v25.0/dialog/oauth?${new URLSearchParams({
    client_id: sandbox.appId, redirect_uri: LOGIN_SUCCESS, state: 'state-42', response_type: 'token',
    scope: 'pages_show_list,pages_manage_metadata,instagram_basic,instagram_manage_messages',
  })}`

  await page.goto(dialog)
  await page.getByLabel('Email or phone').fill(credentials.email)
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('alert')).toHaveText("The password that you've entered is incorrect.")

  await page.getByLabel('Password').fill(credentials.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('checkbox', { name: 'Nordlicht Kaffeerösterei' }).check()
  await page.getByRole('checkbox', { name: 'Hafenblick Hotel' }).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(`${LOGIN_SUCCESS}#*`)
  const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1))
  expect(fragment.get('state')).toBe('state-42')
  expect(Number(fragment.get('expires_in'))).toBeGreaterThan(0)
  const accounts = await (await fetch(`${sandbox.url}/v25.0/me/accounts?access_token=${fragment.get('access_token')}`)).json() as { data: { name: string }[] }
  expect(accounts.data.map((entry) => entry.name)).toEqual(['Nordlicht Kaffeerösterei', 'Hafenblick Hotel'])

  // Still logged in: straight to the page selection, with the granted pages pre-checked.
  await page.goto(dialog)
  await expect(page.getByRole('checkbox', { name: 'Nordlicht Kaffeerösterei' })).toBeChecked()
  await expect(page.getByRole('checkbox', { name: 'Hafenblick Hotel' })).toBeChecked()
  await expect(page.getByRole('checkbox', { name: 'Studio Lindgren' })).not.toBeChecked()
  await page.getByRole('button', { name: 'Cancel' }).click()
  await page.waitForURL(`${LOGIN_SUCCESS}?*`)
  const cancelled = new URL(page.url()).searchParams
  expect(cancelled.get('error')).toBe('access_denied')
  expect(cancelled.get('error_reason')).toBe('user_denied')
  expect(cancelled.get('state')).toBe('state-42')

  // Clearing the session's storage logs the person out.
  await context.clearCookies()
  await page.goto(dialog)
  await expect(page.getByLabel('Email or phone')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Continue' })).toHaveCount(0)
})
