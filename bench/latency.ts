// Measurement 2: from the sandbox's webhook POST to the message's text being in the window's DOM.
// The page records when the text appears (a MutationObserver, on performance.timeOrigin + now);
// the sandbox records when it started the POST (its delivery log). Both are this machine's clock.
import { expect, type Page } from '@playwright/test'
import type { RunningSandbox } from '../src-main/sandbox/index.ts'
import { customerWrites } from './browserSession.ts'
import { percentile } from './stats.ts'

export interface LatencyResult {
  samples: number[]
  p50: number
  p95: number
}

interface Delivery {
  body: string
  attempts: { at: string; status?: number }[]
}

/** The page's global, as WATCH_FOR_PROBES leaves it. */
type Probed = typeof globalThis & { __benchSeen: Record<string, number> }

const probeText = (n: number) => `Latency probe #${n}. Wann öffnet ihr morgen?`

/**
 * Runs in the page (a string: this file is type-checked for Node, not the DOM). Records when each
 * probe's text first enters the DOM, in the list row or the thread, whichever comes first.
 */
const WATCH_FOR_PROBES = `(() => {
  const seen = (window.__benchSeen = {})
  const scan = (text, at) => {
    if (!text || !text.includes('Latency probe #')) return
    for (const match of text.matchAll(/Latency probe #(\\d+)\\./g)) if (!(match[1] in seen)) seen[match[1]] = at
  }
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now()
    for (const record of records) {
      if (record.type === 'characterData') scan(record.target.data, at)
      else for (const node of record.addedNodes) scan(node.textContent, at)
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true })
})()`

/**
 * With Lea's thread open, she writes `count` messages one at a time (each after the previous one
 * showed); `warmUp` more before them are not counted.
 */
export async function measureLatency(page: Page, sandbox: RunningSandbox, hostUrl: string, count: number, warmUp = 5): Promise<LatencyResult> {
  await customerWrites(sandbox, 'lea', 'Guten Morgen! Eine Frage zur Bestellung.')
  await page.goto(hostUrl)
  await page.getByRole('option', { name: /Lea Hoffmann/ }).first().click()
  await expect(page.getByText('Eine Frage zur Bestellung.').last()).toBeVisible()
  await page.evaluate(WATCH_FOR_PROBES)

  const total = warmUp + count
  for (let n = 0; n < total; n++) {
    const sent = await customerWrites(sandbox, 'lea', probeText(n))
    if (!sent.webhook) throw new Error('the sandbox sent no webhook: is the integration subscribed?')
    await page.waitForFunction((probe) => (globalThis as Probed).__benchSeen[probe] !== undefined, String(n), { timeout: 10_000 })
  }
  const seen = await page.evaluate<Record<string, number>>('window.__benchSeen')
  const deliveries = ((await (await fetch(`${sandbox.url}/__sandbox/webhooks`)).json()) as { data: Delivery[] }).data

  const samples: number[] = []
  for (let n = warmUp; n < total; n++) {
    const delivery = deliveries.find((d) => d.body.includes(`Latency probe #${n}.`))
    const postedAt = delivery?.attempts[0]?.at
    if (!postedAt) throw new Error(`no webhook delivery was recorded for probe ${n}`)
    samples.push(seen[String(n)]! - Date.parse(postedAt))
  }
  return { samples, p50: percentile(samples, 50), p95: percentile(samples, 95) }
}
