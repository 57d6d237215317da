// Measurement 4: the main process's memory with a large store, after the inbox and a few threads
// were opened — read inside the browser host's process, which runs Parley's core as the app does.
import type { Browser } from '@playwright/test'
import type { BenchHost } from './browserSession.ts'

export interface MemoryResult {
  rssMb: number
  heapUsedMb: number
  threadsOpened: number
}

const MB = 1024 * 1024

export async function measureMemory(browser: Browser, host: BenchHost, threads: number): Promise<MemoryResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  try {
    await page.goto(host.url)
    const rows = page.locator('[role="listbox"] [role="option"]')
    await rows.first().waitFor()
    for (let i = 0; i < threads; i++) {
      const row = rows.nth(i)
      const id = await row.getAttribute('data-conversation')
      await row.click()
      await page.locator(`[data-thread="${id}"] [role="region"]`).waitFor()
    }
    const memory = await host.memory()
    return { rssMb: memory.rss / MB, heapUsedMb: memory.heapUsed / MB, threadsOpened: threads }
  } finally {
    await page.close()
  }
}
