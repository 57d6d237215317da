import { startSandbox } from '../../sandbox/index.ts'
import type { Mode } from '../contract/schemas.ts'

/** Where Parley reaches Meta: graph.facebook.com in live mode, the sandbox otherwise. */
export interface MetaBackend {
  kind: 'sandbox' | 'live'
  graphBase: string
  webBase: string
  appId: string | null
  /** The sandbox's secret is no secret (it is in its seed); a live app's secret is read from the keychain. */
  sandboxAppSecret: string | null
  /** The sandbox's address (its control API lives under /__sandbox/), or null in live mode. */
  sandboxUrl: string | null
  close(): Promise<void>
}

export const LIVE_GRAPH_BASE = 'https://graph.facebook.com'
export const LIVE_WEB_BASE = 'https://www.facebook.com'

/**
 * Sandbox mode uses the sandbox named by PARLEY_SANDBOX_URL / _APP_ID / _APP_SECRET (the lines
 * `npm run sandbox` prints) when set, and otherwise starts one embedded, on a free loopback port.
 */
export async function startMetaBackend(mode: Mode, liveAppId: string | null, env: NodeJS.ProcessEnv): Promise<MetaBackend> {
  if (mode === 'live') {
    return { kind: 'live', graphBase: LIVE_GRAPH_BASE, webBase: LIVE_WEB_BASE, appId: liveAppId, sandboxAppSecret: null, sandboxUrl: null, close: async () => {} }
  }
  const external = externalSandbox(env)
  const sandbox = external ?? (await startSandbox({ port: 0 }))
  return {
    kind: 'sandbox',
    graphBase: sandbox.url,
    webBase: sandbox.url,
    appId: sandbox.appId,
    sandboxAppSecret: sandbox.appSecret,
    sandboxUrl: sandbox.url,
    close: () => sandbox.close(),
  }
}

function externalSandbox(env: NodeJS.ProcessEnv) {
  const { PARLEY_SANDBOX_URL: url, PARLEY_SANDBOX_APP_ID: appId, PARLEY_SANDBOX_APP_SECRET: appSecret } = env
  if (!url) return null
  if (!appId || !appSecret) {
    throw new Error('PARLEY_SANDBOX_URL needs PARLEY_SANDBOX_APP_ID and PARLEY_SANDBOX_APP_SECRET too: use the three lines "npm run sandbox" prints.')
  }
  return { url: url.replace(/\/+$/, ''), appId, appSecret, close: async () => {} }
}
