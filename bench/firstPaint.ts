// Measurement 3: the inbox's first paint on a large store — from navigation start (the page's time
// origin) to the first frame painted with a conversation row — and how many rows are in the DOM.
import type { Browser } from '@playwright/test'

export interface FirstPaintResult {
  /** Milliseconds, one per fresh page load. */
  loads: number[]
  median: number
  /** `role=option` rows in the DOM once the list has settled. */
  rows: number
  /** The list's size as the window announces it (aria-setsize): the whole inbox. */
  listed: number
}

/**
 * Runs before the app's own scripts (a string: this file is type-checked for Node, not the DOM).
 * Notes the first frame with a row: the frame is rendered after the animation-frame callback, and
 * a message posted from that callback arrives after the paint.
 */
const WATCH_FOR_FIRST_ROW = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[role="listbox"] [role="option"]')) return
    observer.disconnect()
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => { window.__benchFirstRow = performance.now() }
      channel.port2.postMessage(null)
    })
  })
  observer.observe(document, { childList: true, subtree: true })
})()`

/** The page's global, as WATCH_FOR_FIRST_ROW leaves it. */
type Watched = typeof globalThis & { __benchFirstRow?: number }

export async function measureFirstPaint(browser: Browser, url: string, loads: number): Promise<FirstPaintResult> {
  const times: number[] = []
  let rows = 0
  let listed = 0
  for (let i = 0; i < loads; i++) {
    // A fresh context each time, so nothing comes from a previous load's cache.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
    try {
      const page = await context.newPage()
      await page.addInitScript({ content: WATCH_FOR_FIRST_ROW })
      await page.goto(url)
      await page.waitForFunction(() => (globalThis as Watched).__benchFirstRow !== undefined, undefined, { timeout: 30_000 })
      times.push(await page.evaluate<number>('window.__benchFirstRow'))
      if (i === loads - 1) {
        // Let paging and late rendering finish before counting.
        await page.waitForLoadState('networkidle')
        await page.waitForTimeout(500)
        rows = await page.locator('[role="option"]').count()
        // The list must know the whole store, or the number above says nothing.
        listed = Number(await page.locator('[role="option"]').first().getAttribute('aria-setsize'))
      }
    } finally {
      await context.close()
    }
  }
  const sorted = [...times].sort((a, b) => a - b)
  return { loads: times, median: sorted[Math.floor(sorted.length / 2)]!, rows, listed }
}
