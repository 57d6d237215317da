import { Hono } from 'hono'
import { isLoopbackHost, keyCookieName, keyMatches, readCookie } from './accessKey.ts'
import type { BootAnswer } from '../core/contract/boot.ts'
import { mountAttachmentUpload, type AttachmentUploads } from './attachmentUpload.ts'
import { createRendererAssets, NOT_BUILT } from './rendererAssets.ts'
import { windowPage } from './windowPage.ts'

export interface HttpAppOptions {
  rendererDir: string
  key: string
  port: () => number
  /** The browser host's Facebook login callback. */
  login: LoginCallback
  /** Avatars and attachments fetched from Meta in main (`avatar/…`, `attachment/…/…`); none without it. */
  media?: (path: string) => Promise<Response>
  /** A4: files the window uploads for replies (POST /attachments); none without it. */
  attachments?: AttachmentUploads
  /** The answers the window needs first, put in its page; without it the page is served as built. */
  boot?: () => Promise<BootAnswer[]>
}

export interface LoginCallback {
  /** Completes the login the redirect's state names; null when Parley did not start it. */
  complete(redirectUrl: string): Promise<unknown>
  /** Facebook's logout, returning to `next`: the popup's Facebook session ends with the login. */
  logoutUrl(next: string): string
}

export const LOGIN_CALLBACK_PATH = '/auth/callback'

const authPage = (message: string, closeScript: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title>${closeScript ? '<script src="/auth/close.js"></script>' : ''}</head>` +
  `<body style="font-family: system-ui, sans-serif; padding: 2rem"><p role="status">${message}</p></body></html>`

/** The window's policy: only Parley's own scripts, styles, media and socket. `connect` adds socket addresses. */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // Attachments' players load from /media/ (same origin, behind the launch key or the session).
    "media-src 'self'",
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Serves the built renderer to whoever holds the launch key, and nobody else. */
export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono()
  const assets = createRendererAssets(options.rendererDir)
  const authHeaders = { 'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'", 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

  // Facebook redirects the login popup here. It carries no launch key (it comes from another
  // site); the single-use, unguessable `state` is what proves the login is Parley's own.
  app.get(LOGIN_CALLBACK_PATH, async (c) => {
    const finished = await options.login.complete(c.req.url)
    if (!finished) return c.html(authPage('This login was not started by Parley, or has already ended. Close this window and try again.', false), 400, authHeaders)
    return c.redirect(options.login.logoutUrl(`http://127.0.0.1:${options.port()}/auth/done`), 302)
  })
  app.get('/auth/done', (c) => c.html(authPage('Done: Parley has what it needs. You can close this window.', true), 200, authHeaders))
  app.get('/auth/close.js', (c) => c.body('window.close()', 200, { ...authHeaders, 'Content-Type': 'text/javascript' }))

  app.use('*', async (c, next) => {
    const port = options.port()
    if (!isLoopbackHost(c.req.header('host'), port)) return c.text('Parley answers only on 127.0.0.1.', 403)
    const cookieName = keyCookieName(port)
    const queryKey = c.req.query('key')
    const presented = queryKey ?? readCookie(c.req.header('cookie'), cookieName)
    if (!keyMatches(presented, options.key)) {
      return c.text('This address needs the key Parley printed when it started: open the full line, including ?key=…', 403)
    }
    await next()
    c.header('Content-Security-Policy', contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]))
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    // No Cross-Origin-Opener-Policy here (the team server sends one): this page opens only with
    // the launch key, on loopback, so no other site's window can hold it, and the header made
    // Chromium start a second renderer process for every window opened from a tab, a fifth of
    // the time to the first conversation row.
    // Only the window's hashed scripts and styles may be kept (rendererAssets.ts says so).
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
    // Assets are loaded without ?key=; the cookie carries it for them.
    if (queryKey) c.header('Set-Cookie', `${cookieName}=${options.key}; Path=/; HttpOnly; SameSite=Strict`)
  })

  // After the key check: only the window that holds the launch key gets media through main.
  app.get('/media/*', async (c) => {
    if (!options.media) return c.text('Not found.', 404)
    return options.media(new URL(c.req.url).pathname.slice('/media/'.length))
  })

  // After the key check too: only the window that holds the launch key may stage files.
  if (options.attachments) {
    mountAttachmentUpload(app, options.attachments, {
      sameOrigin: (c) => {
        const origin = c.req.header('origin')
        return origin === undefined || origin === `http://127.0.0.1:${options.port()}` || origin === `http://localhost:${options.port()}`
      },
    })
  }

  if (options.boot) {
    const boot = options.boot
    app.get('/', (c) => {
      const page = assets.page()
      return page === null ? c.text(NOT_BUILT, 503) : windowPage(page, boot)
    })
  }

  app.get('*', (c) => assets.answer(c.req.path) ?? c.notFound())
  app.notFound((c) => c.text('Not found.', 404))
  return app
}
