import { describe, expect, it } from 'vitest'
import { createGraphClient } from '../../../src-main/core/graph/index.ts'

describe('reachability', () => {
  it('tells listeners when Meta stops and starts answering — an error answer still counts as answering', async () => {
    let up = true
    const client = createGraphClient({
      graphBase: 'https://graph.example', webBase: 'https://www.example', appId: '1', appSecret: async () => 'secret',
      sleep: async () => {}, retry: { maxAttempts: 1 },
      fetch: (async () => {
        if (!up) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
        return new Response(JSON.stringify({ error: { message: 'nope', type: 'OAuthException', code: 190 } }), { status: 400 })
      }) as typeof fetch,
    })
    const seen: boolean[] = []
    const off = client.onReachabilityChange((reachable) => seen.push(reachable))
    const call = () => client.conversations('1', 'token').catch(() => undefined)
    await call()
    await call()
    up = false
    await call()
    await call()
    up = true
    await call()
    expect(seen).toEqual([true, false, true])
    off()
    up = false
    await call()
    expect(seen).toEqual([true, false, true])
  })
})
