import { existsSync } from 'node:fs'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type MiddlewareHandler } from 'hono'
import { isLoopbackHost, keyCookieName, keyMatches, readCookie } from './accessKey.ts'

export interface HttpAppOptions {
  rendererDir: string
  key: string
  port: () => number
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Serves the built renderer to whoever holds the launch key, and nobody else. */
export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono()
  let assets: MiddlewareHandler | undefined

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
    c.header('Content-Security-Policy', contentSecurityPolicy(port))
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
    c.header('Cache-Control', 'no-store')
    // Assets are loaded without ?key=; the cookie carries it for them.
    if (queryKey) c.header('Set-Cookie', `${cookieName}=${options.key}; Path=/; HttpOnly; SameSite=Strict`)
  })

  app.get('*', async (c, next) => {
    if (!existsSync(options.rendererDir)) {
      return c.text('The Parley window is not built yet: run "npm run build" (npm start does it for you).', 503)
    }
    assets ??= serveStatic({ root: options.rendererDir })
    return assets(c, next)
  })
  app.notFound((c) => c.text('Not found.', 404))
  return app
}
