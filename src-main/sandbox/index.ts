// The Meta sandbox: a local, faithful Facebook Login + Graph API for Instagram messaging.
// startSandbox() runs it embedded (Parley's sandbox mode, tests); cli.ts runs it standalone.
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { Clock } from './clock.ts'
import type { Deps } from './deps.ts'
import { Faults } from './faults.ts'
import { MediaStore } from './media.ts'
import { RateLimiter } from './rateLimits.ts'
import { loadSeed } from './seed.ts'
import { createApp } from './server.ts'
import { Sessions } from './sessions.ts'
import { SandboxState } from './state.ts'
import { TokenStore } from './tokens.ts'
import { WebhookDispatcher, type RetryPolicy } from './webhooks.ts'

export interface SandboxOptions {
  /** 0 (default) = a free port. */
  port?: number
  /** Default 127.0.0.1: the sandbox never listens beyond the machine unless told to. */
  host?: string
  /** A seed file; default resources/sandbox/seed.json. */
  seedPath?: string
  /** Default true; when false, limits are counted (headers stay) but never refuse a call. */
  enforceRateLimits?: boolean
  /** Webhook retry backoff: baseMs × 2^(attempt−1), up to maxAttempts attempts. Default 2 s × 8. */
  webhookRetry?: RetryPolicy
}

export interface RunningSandbox {
  /** http://127.0.0.1:PORT — the Graph API base (`${url}/v25.0/…`) and the Facebook web base (`${url}/v25.0/dialog/oauth`). */
  url: string
  appId: string
  appSecret: string
  /** Stops or resumes listening on the same port, state kept: to Parley, Meta is unreachable, as when the network is down. */
  setReachable(reachable: boolean): Promise<void>
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = await loadSeed(options.seedPath)
  const host = options.host ?? '127.0.0.1'
  // The app needs the origin (media URLs), which is known only once the server listens.
  const ready: { app?: ReturnType<typeof createApp> } = {}
  const server = serve({
    fetch: (request, env) => (ready.app ? ready.app.fetch(request, env) : new Response('starting', { status: 503 })),
    port: options.port ?? 0, hostname: host,
  })
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve()
    server.once('listening', () => resolve())
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const clock = new Clock()
  const media = new MediaStore(() => origin, clock)
  const state = new SandboxState(seed, clock.now(), media)
  const faults = new Faults()
  const deps: Deps = {
    clock, state, media, origin,
    tokens: new TokenStore(state, clock),
    sessions: new Sessions(),
    limits: new RateLimiter(clock, options.enforceRateLimits ?? true),
    faults,
    webhooks: new WebhookDispatcher(() => deps.state.app.secret, options.webhookRetry ?? { baseMs: 2000, maxAttempts: 8 }, faults),
  }
  const reset = () => {
    deps.clock.reset()
    deps.media.clear()
    deps.state = new SandboxState(seed, deps.clock.now(), deps.media)
    deps.tokens = new TokenStore(deps.state, deps.clock)
    deps.sessions.clear()
    deps.limits.reset()
    deps.faults.clear()
    deps.webhooks.clear()
  }
  ready.app = createApp(deps, { reset })
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      if ('closeAllConnections' in server) server.closeAllConnections()
    })

  return {
    url: origin,
    appId: state.app.id,
    appSecret: state.app.secret,
    setReachable: async (reachable) => {
      if (reachable === server.listening) return
      if (!reachable) return stopListening()
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
    },
    close: async () => {
      deps.webhooks.stop()
      if (server.listening) await stopListening()
    },
  }
}
