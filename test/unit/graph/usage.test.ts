import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseUsageHeaders, regainAccessMs, type GraphUsage } from '../../../src-main/core/graph/index.ts'
import { metaError, PAGE_TOKEN, startFakeMeta, testClient, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)
const ME = { id: '100' }

describe('usage headers', () => {
  it('are recorded from every response and reported through onUsage and usage()', async () => {
    const seen: GraphUsage[] = []
    const { client } = testClient(meta, { onUsage: (usage) => seen.push(usage) })
    expect(client.usage()).toEqual({ updatedAt: null, app: null, page: null, business: {}, perObject: {}, maxPercent: 0 })

    meta.on(
      'GET /me',
      {
        json: ME,
        headers: {
          'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}',
          'x-business-use-case-usage': JSON.stringify({
            '134895793791914': [{ type: 'pages', call_count: 95, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 0 }],
            '17841400000000001': [
              { type: 'instagram', call_count: 10, total_cputime: 12, total_time: 11, estimated_time_to_regain_access: 0 },
              { type: 'messenger', call_count: 3, total_cputime: 40, total_time: 5, estimated_time_to_regain_access: 0 },
            ],
          }),
        },
      },
      { json: ME, headers: { 'x-page-usage': '{"call_count":7,"total_cputime":3,"total_time":4}' } },
      { json: ME },
    )

    await client.me(PAGE_TOKEN)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toEqual({
      updatedAt: NOW,
      app: { callCount: 28, totalTime: 25, totalCputime: 25, estimatedTimeToRegainAccess: 0 },
      page: null,
      business: {
        '134895793791914': [{ type: 'pages', callCount: 95, totalCputime: 20, totalTime: 20, estimatedTimeToRegainAccess: 0 }],
        '17841400000000001': [
          { type: 'instagram', callCount: 10, totalCputime: 12, totalTime: 11, estimatedTimeToRegainAccess: 0 },
          { type: 'messenger', callCount: 3, totalCputime: 40, totalTime: 5, estimatedTimeToRegainAccess: 0 },
        ],
      },
      perObject: { '134895793791914': 95, '17841400000000001': 40 },
      maxPercent: 95,
    })

    await client.me(PAGE_TOKEN)
    expect(seen).toHaveLength(2)
    // A later response without the BUC header keeps the last known per-object usage.
    expect(client.usage()).toMatchObject({ page: { callCount: 7 }, app: { callCount: 28 }, perObject: { '134895793791914': 95 }, maxPercent: 95 })

    await client.me(PAGE_TOKEN)
    expect(seen).toHaveLength(2)
  })

  it('are recorded from error responses too, and name the wait on a rate limit', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', {
      ...metaError(80002, '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.'),
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          '17841400000000001': [{ type: 'instagram', call_count: 100, total_cputime: 30, total_time: 30, estimated_time_to_regain_access: 5 }],
        }),
      },
    })
    await expect(client.me(PAGE_TOKEN)).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 300_000 })
    expect(client.usage().perObject).toEqual({ '17841400000000001': 100 })
    expect(client.usage().maxPercent).toBe(100)
  })

  it('that are malformed are ignored, never fatal', async () => {
    const { client } = testClient(meta)
    meta.on('GET /me', { json: ME, headers: { 'x-app-usage': '{not json', 'x-business-use-case-usage': '[1,2]' } })
    expect(await client.me(PAGE_TOKEN)).toEqual({ id: '100', name: null })
    expect(client.usage().updatedAt).toBeNull()
  })

  it('tolerate numbers sent as strings and entries without a type', () => {
    const reading = parseUsageHeaders(
      new Headers({
        'x-app-usage': '{"call_count":"12","total_time":3}',
        'x-business-use-case-usage': '{"1":[{"call_count":50,"estimated_time_to_regain_access":2}],"2":"nonsense"}',
      }),
    )
    expect(reading).toEqual({
      app: { callCount: 12, totalTime: 3, totalCputime: 0, estimatedTimeToRegainAccess: 0 },
      business: { '1': [{ type: 'unknown', callCount: 50, totalTime: 0, totalCputime: 0, estimatedTimeToRegainAccess: 2 }] },
    })
    expect(regainAccessMs(reading)).toBe(120_000)
    expect(regainAccessMs(parseUsageHeaders(new Headers({ 'x-app-usage': '{"call_count":1}' })))).toBeUndefined()
  })
})
