// The browser's floor for the inbox's first paint: the same rows as Parley painted them, served as
// a static page (no script) with Parley's own stylesheet, from a plain HTTP server on loopback, and
// timed exactly as Parley's first paint is, in fresh contexts of the same Chromium.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from '@playwright/test'

export interface StaticInbox {
  url: string
  close(): Promise<void>
}

/**
 * The inbox as a page shows it once its rows are in, without scripts: what a browser must at least
 * do to show those rows. Runs in the page (a string: this file is type-checked for Node, not the DOM).
 */
const SNAPSHOT = `(() => {
  const root = document.documentElement.cloneNode(true)
  for (const node of root.querySelectorAll('script, link[rel="modulepreload"], meta[http-equiv]')) node.remove()
  return '<!doctype html>' + root.outerHTML
})()`

/** Takes the rows from a page of Parley's (`url`) and serves them statically, its stylesheet and icon from `rendererDir`. */
export async function serveStaticInbox(browser: Browser, url: string, rendererDir: URL): Promise<StaticInbox> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  let html: string
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.locator('[role="listbox"] [role="option"]').first().waitFor()
    await page.waitForLoadState('networkidle')
    html = await page.evaluate<string>(SNAPSHOT)
  } finally {
    await context.close()
  }
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    // The same headers Parley's host sends: nothing is cached between loads.
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }
    if (path === '/') return void response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(html)
    const type = /^\/(?:assets\/)?[\w.-]+\.(css|svg)$/.exec(path)?.[1]
    if (type) {
      try {
        const file = readFileSync(new URL(`.${path}`, rendererDir))
        return void response.writeHead(200, { ...headers, 'content-type': type === 'css' ? 'text/css; charset=utf-8' : 'image/svg+xml' }).end(file)
      } catch {
        // Falls through to 404.
      }
    }
    response.writeHead(404, headers).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
