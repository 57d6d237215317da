// The sandbox's HTTP application: version-less routing (/v25.0/me ≡ /me), injected faults, usage
// headers, Meta-shaped errors, and all route groups.
import { Hono } from 'hono'
import type { Deps } from './deps.ts'
import { GraphError, graphErrors } from './errors.ts'
import { fbtraceId } from './ids.ts'
import type { GraphEnv } from './graph.ts'
import { registerBusinessRoutes } from './routes/business.ts'
import { registerCdnRoutes } from './routes/cdn.ts'
import { ControlError, registerControlRoutes, type ControlHooks } from './routes/control.ts'
import { registerMessagingRoutes } from './routes/messaging.ts'
import { registerNodeRoutes } from './routes/nodes.ts'
import { registerOauthDialogRoutes } from './routes/oauthDialog.ts'
import { registerTokenRoutes } from './routes/graphTokens.ts'

/** Graph accepts any version prefix (/v25.0/…, /v19.0/…) and none at all. */
export function stripVersion(pathname: string): string {
  return pathname.replace(/^\/v\d+\.\d+(?=\/|$)/, '') || '/'
}

const isControl = (path: string) => path === '/__sandbox' || path.startsWith('/__sandbox/')
const isGraph = (path: string) => !isControl(path) && !path.startsWith('/cdn/') && !path.startsWith('/dialog/') && path !== '/logout.php'

export function createApp(deps: Deps, hooks: ControlHooks): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>({ getPath: (request) => stripVersion(new URL(request.url).pathname) })

  app.use('*', async (c, next) => {
    if (isControl(c.req.path)) return next()
    const fault = deps.faults.match(c.req.method, c.req.path)
    if (!fault) return next()
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault.action.kind === 'drop' || fault.action.kind === 'dropAnswer') {
      // dropAnswer: the request takes effect first (a reply is sent, a token issued); either way the
      // client sees the connection reset and cannot tell whether it happened.
      if (fault.action.kind === 'dropAnswer') await next()
      c.env?.incoming?.socket.destroy()
      return new Response(null, { status: 500 })
    }
    if (fault.action.kind === 'respond') return c.json(fault.action.body as object, fault.action.status as 400)
    return next()
  })

  app.use('*', async (c, next) => {
    await next()
    if (!isGraph(c.req.path)) return
    // Meta's Date is Meta's time: the sandbox's own clock, so that moving it shows as clock skew.
    c.res.headers.set('Date', new Date(deps.clock.now()).toUTCString())
    c.res.headers.set('X-App-Usage', deps.limits.appUsageHeader())
    const token = c.get('token')
    if (token?.type === 'PAGE' && token.pageId) c.res.headers.set('X-Business-Use-Case-Usage', deps.limits.businessUsageHeader(token.pageId, c.get('usageIgId')))
    c.res.headers.set('x-fb-trace-id', fbtraceId())
  })

  app.onError((error, c) => {
    if (error instanceof GraphError) return c.json(error.toBody(), error.status as 400)
    if (error instanceof ControlError) return c.json({ error: { message: error.message, type: 'SandboxControlError', issues: error.issues } }, error.status)
    console.error('[sandbox] unexpected error', error)
    const unknown = graphErrors.unknown()
    return c.json(unknown.toBody(), 500)
  })

  registerControlRoutes(app, deps, hooks)
  registerCdnRoutes(app, deps)
  registerOauthDialogRoutes(app, deps)
  registerTokenRoutes(app, deps)
  registerBusinessRoutes(app, deps)
  registerMessagingRoutes(app, deps)
  registerNodeRoutes(app, deps)
  return app
}
