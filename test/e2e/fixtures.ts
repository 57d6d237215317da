import { test as base } from '@playwright/test'
import { startBrowserHostProcess, type RunningBrowserHost } from '../fixtures/browserHost.ts'

/** Each test gets its own Parley (browser host on a fresh data directory). */
export const test = base.extend<{ parley: RunningBrowserHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form here.
  parley: async ({}, use) => {
    const host = await startBrowserHostProcess()
    await use(host)
    await host.stop()
  },
})

export { expect } from '@playwright/test'
