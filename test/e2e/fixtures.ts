import { expect, test as base, type Page } from '@playwright/test'
import { startSandbox, type RunningSandbox } from '../../src-main/sandbox/index.ts'
import { startBrowserHostProcess, type RunningBrowserHost } from '../fixtures/browserHost.ts'

export interface SandboxControl {
  url: string
  appSecret: string
  post(path: string, body: unknown): Promise<unknown>
  get<T = unknown>(path: string): Promise<T>
}

/**
 * Each test gets its own Parley (browser host on a fresh data directory) talking to its own
 * sandbox, which the test can act on like a customer or a Meta administrator would.
 */
export const test = base.extend<{ sandbox: RunningSandbox; control: SandboxControl; parley: RunningBrowserHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form here.
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
    await use(sandbox)
    await sandbox.close()
  },
  control: async ({ sandbox }, use) => {
    await use({
      url: sandbox.url,
      appSecret: sandbox.appSecret,
      post: async (path, body) =>
        (await fetch(`${sandbox.url}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json(),
      get: async (path) => (await fetch(`${sandbox.url}/__sandbox/${path}`)).json() as never,
    })
  },
  parley: async ({ sandbox }, use) => {
    const host = await startBrowserHostProcess({
      PARLEY_SANDBOX_URL: sandbox.url,
      PARLEY_SANDBOX_APP_ID: sandbox.appId,
      PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret,
    })
    await use(host)
    await host.stop()
  },
})

export { expect }

/** The person in the Facebook login popup: logs in when asked, ticks pages, presses a button. */
export async function completeFacebookLogin(popup: Page, choice: { pages: string[]; button?: 'Continue' | 'Cancel'; uncheck?: string[] }) {
  // The popup opens blank and is then sent to Facebook: wait for the dialog, whichever step it shows.
  const loginForm = popup.getByLabel('Email or phone')
  await expect(loginForm.or(popup.getByRole('button', { name: 'Continue' }))).toBeVisible()
  if (await loginForm.isVisible()) {
    await popup.getByLabel('Email or phone').fill('maria.schmidt@example.com')
    await popup.getByLabel('Password').fill('parley-sandbox-1')
    await popup.getByRole('button', { name: 'Log in' }).click()
  }
  for (const name of choice.pages) await popup.getByRole('checkbox', { name }).check()
  for (const name of choice.uncheck ?? []) await popup.getByRole('checkbox', { name }).uncheck()
  await popup.getByRole('button', { name: choice.button ?? 'Continue' }).click()
}
