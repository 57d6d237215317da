import { describe, expect, it } from 'vitest'
import { LIVE_GRAPH_BASE, startMetaBackend } from '../../../src-main/core/meta/metaBackend.ts'
import { startSandbox } from '../../../src-main/sandbox/index.ts'

describe('Parley’s way to Meta', () => {
  it('in sandbox mode starts the sandbox embedded, on loopback', async () => {
    const backend = await startMetaBackend('sandbox', null, {})
    try {
      expect(backend.kind).toBe('sandbox')
      expect(backend.graphBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const state = (await (await fetch(`${backend.sandboxUrl}/__sandbox/state`)).json()) as { app: { id: string } }
      expect(state.app.id).toBe(backend.appId)
      const me = await fetch(`${backend.graphBase}/v25.0/me?access_token=nonsense`)
      expect(((await me.json()) as { error: { code: number } }).error.code).toBe(190)
    } finally {
      await backend.close()
    }
    await expect(fetch(`${backend.sandboxUrl}/__sandbox/state`)).rejects.toThrow()
  })

  it('uses the sandbox the environment names, as "npm run sandbox" prints it, and leaves it running', async () => {
    const sandbox = await startSandbox({ port: 0 })
    try {
      const backend = await startMetaBackend('sandbox', null, {
        PARLEY_SANDBOX_URL: `${sandbox.url}/`,
        PARLEY_SANDBOX_APP_ID: sandbox.appId,
        PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret,
      })
      expect(backend.graphBase).toBe(sandbox.url)
      expect(backend.sandboxAppSecret).toBe(sandbox.appSecret)
      await backend.close()
      expect((await fetch(`${sandbox.url}/__sandbox/state`)).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })

  it('refuses a sandbox address without its app id and secret, saying what is missing', async () => {
    await expect(startMetaBackend('sandbox', null, { PARLEY_SANDBOX_URL: 'http://127.0.0.1:1' })).rejects.toThrow(
      /PARLEY_SANDBOX_APP_ID and PARLEY_SANDBOX_APP_SECRET/,
    )
  })

  it('in live mode talks to graph.facebook.com with the supervisor’s app and starts nothing', async () => {
    const backend = await startMetaBackend('live', '1234567890', {})
    expect(backend).toMatchObject({ kind: 'live', graphBase: LIVE_GRAPH_BASE, appId: '1234567890', sandboxUrl: null, sandboxAppSecret: null })
  })
})
