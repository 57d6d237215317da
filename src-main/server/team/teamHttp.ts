// The team server's HTTP side: the window (served to anyone, so the sign-in page loads), sign-in,
// health, and — only for signed-in people — media and file uploads. Meta's webhook and the files
// of attachment replies are added by core (`webhooks.mount`), reached by Meta without a session.
import { Hono, type Context } from 'hono'
import type { Logger } from '../../core/app/logger.ts'
import type { Parley } from '../../core/app/parley.ts'
import type { CallContext } from '../../core/contract/context.ts'
import { mountAttachmentUpload } from '../attachmentUpload.ts'
import { createApiApp } from './apiRoutes.ts'
import { contentSecurityPolicy } from '../httpApp.ts'
import { createRendererAssets } from '../rendererAssets.ts'
import { credentialOf } from './sessionCookie.ts'
import { mountSignIn, type SignInRouteDeps } from './signInRoutes.ts'

export interface TeamHttpOptions {
  parley: Parley
  metaRoutes: MetaRoutes
  rendererDir: string
  /** What /readyz reports: the database reachable, migrations current, the cluster heard. */
  ready: () => Promise<{ ready: boolean; checks: Record<string, boolean | string> }>
  secure: SignInRouteDeps['secure']
  sameOrigin: SignInRouteDeps['sameOrigin']
  address: SignInRouteDeps['address']
  log: Logger
}

/** Routes Meta must reach without a session (webhooks, reply files), added once core starts receiving. */
export interface MetaRoutes {
  mount(routes: (app: Hono) => void): void
  /** Answers a request for those routes; 503 until core has added them. */
  fetch(request: Request): Response | Promise<Response>
}

export function createMetaRoutes(): MetaRoutes {
  const meta = new Hono()
  let mounted = false
  return {
    mount(routes) {
      routes(meta)
      mounted = true
    },
    fetch: (request) => (mounted ? meta.fetch(request) : new Response('Not receiving yet.', { status: 503 })),
  }
}

export function createTeamHttpApp(options: TeamHttpOptions): Hono {
  const { parley, metaRoutes } = options
  const app = new Hono()
  const signIn = parley.signIn!

  app.get('/healthz', (c) => c.text('ok', 200, { 'cache-control': 'no-store' }))
  app.get('/readyz', async (c) => {
    const state = await options.ready()
    return c.json(state, state.ready ? 200 : 503, { 'cache-control': 'no-store' })
  })

  // Meta's requests: no session, their own proof (a signature, an unguessable file id).
  app.all('/webhooks/*', (c) => metaRoutes.fetch(c.req.raw))
  app.all('/outgoing/*', (c) => metaRoutes.fetch(c.req.raw))

  app.use('*', async (c, next) => {
    await next()
    // 'self' covers the same host's ws: and wss: in current browsers.
    c.header('Content-Security-Policy', contentSecurityPolicy())
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cross-Origin-Opener-Policy', 'same-origin-allow-popups')
    if (options.secure(c)) c.header('Strict-Transport-Security', 'max-age=31536000')
  })

  mountSignIn(app, { signIn, secure: options.secure, sameOrigin: options.sameOrigin, address: options.address })

  // Facebook sends the login popup back here (code flow); its single-use `state` names the login,
  // on whichever node holds it. Then Facebook's own logout ends the popup's session (S10).
  app.get('/auth/callback', async (c) => {
    await parley.completeLoginRedirect(c.req.url)
    const done = new URL('/auth/done', c.req.url).href
    return c.redirect(`${parley.meta.backend().webBase}/logout.php?${new URLSearchParams({ next: done })}`, 302)
  })
  const closePage = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title><script src="/auth/close.js"></script></head><body><p role="status">Done: Parley has what it needs. You can close this window.</p></body></html>'
  app.get('/auth/done', (c) => c.html(closePage, 200, { 'cache-control': 'no-store' }))
  app.get('/auth/close.js', (c) => c.body('window.close()', 200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }))

  /** The signed-in person of a request, or null. */
  const contextOf = async (c: Context): Promise<CallContext | null> => {
    const credential = credentialOf({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })
    if (!credential) return null
    if (credential.client === 'browser' && c.req.method !== 'GET' && !options.sameOrigin(c)) return null
    return signIn.authenticate(credential.token, credential.client)
  }

  // A5: only the desktop app (a bearer session) may take a story, into its protected viewer.
  app.get('/stories/:mid', async (c) => {
    const context = await contextOf(c)
    if (!context) return c.text('Sign in to Parley.', 401)
    return parley.storyForDesktop(c.req.param('mid'), context, c.req.query('probe') === '1')
  })

  app.get('/media/*', async (c) => {
    const context = await contextOf(c)
    if (!context) return c.text('Sign in to Parley.', 401)
    return parley.media.serve(new URL(c.req.url).pathname.slice('/media/'.length), context)
  })

  // I1: the REST API, for other systems with API keys (no session, no cookies).
  if (parley.api) app.route('/api/v1', createApiApp({ ...parley.api, log: options.log }))

  mountAttachmentUpload(app, parley.attachments, { sameOrigin: (c) => c.req.header('origin') === undefined || options.sameOrigin(c), who: contextOf })

  const assets = createRendererAssets(options.rendererDir)
  app.get('*', (c) => assets.answer(c.req.path) ?? c.notFound())
  app.notFound((c) => c.text('Not found.', 404))
  return app
}
