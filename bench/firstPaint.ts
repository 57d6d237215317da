// Measurement 3: the inbox's first paint on a large store — from navigation start (the page's time
// origin) to the first frame painted with a conversation row — beside the browser's floor (the same
// rows as a static page, bench/floor.ts), and how many rows are in the DOM.
import type { Browser } from '@playwright/test'
import { median } from './stats.ts'

export interface FirstPaintResult {
  /** Milliseconds, one per fresh page load. */
  loads: number[]
  median: number
  /** The same rows as a static page, loaded in turn with Parley's: what the browser needs at least. */
  floorLoads: number[]
  floorMedian: number
  /** Each Parley load over the floor load beside it: pairs share whatever else the machine was doing. */
  ratios: number[]
  medianRatio: number
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

/** One load in a fresh context, so that nothing comes from a previous load's cache: milliseconds to the first frame with a row. */
async function firstRowAt(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  try {
    const page = await context.newPage()
    await page.addInitScript({ content: WATCH_FOR_FIRST_ROW })
    await page.goto(url)
    await page.waitForFunction(() => (globalThis as Watched).__benchFirstRow !== undefined, undefined, { timeout: 30_000 })
    return await page.evaluate<number>('window.__benchFirstRow')
  } finally {
    await context.close()
  }
}

/** Rows in the DOM once paging and late rendering are done, and the list's size as announced. */
async function rowsOf(browser: Browser, url: string): Promise<{ rows: number; listed: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  try {
    const page = await context.newPage()
    await page.goto(url)
    const rows = page.locator('[role="listbox"] [role="option"]')
    await rows.first().waitFor()
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(500)
    // The list must know the whole store, or the count says nothing.
    return { rows: await rows.count(), listed: Number(await rows.first().getAttribute('aria-setsize')) }
  } finally {
    await context.close()
  }
}

/** `loads` loads of Parley and of the floor page, alternated so that whatever else the machine does weighs on both alike. */
export async function measureFirstPaint(browser: Browser, urls: { parley: string; floor: string }, loads: number): Promise<FirstPaintResult> {
  const times: number[] = []
  const floorTimes: number[] = []
  for (let i = 0; i < loads; i++) {
    times.push(await firstRowAt(browser, urls.parley))
    floorTimes.push(await firstRowAt(browser, urls.floor))
  }
  const { rows, listed } = await rowsOf(browser, urls.parley)
  const floorRows = (await rowsOf(browser, urls.floor)).rows
  if (floorRows !== rows) throw new Error(`the static page has ${floorRows} rows and Parley ${rows}: they must paint the same`)
  const ratios = times.map((time, i) => time / floorTimes[i]!)
  return { loads: times, median: median(times), floorLoads: floorTimes, floorMedian: median(floorTimes), ratios, medianRatio: median(ratios), rows, listed }
}
