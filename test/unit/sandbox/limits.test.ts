// Rate limits and usage headers. The sandbox clock is frozen so that "per second" is exact, not timed.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, type Harness } from './helpers.ts'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function setup(enforceRateLimits = true) {
  h = await startHarness({ enforceRateLimits })
  const connected = await connect(h)
  await h.control('POST', 'clock', { freeze: true })
  return { h, token: connected.pageTokens[ids.nordlichtPage] ?? '', userToken: connected.longLivedToken }
}

const lea = (harness: Harness) => harness.state.customers.find((c) => c.id === 'lea')?.igsids[ids.nordlichtIg] ?? ''

describe('Conversations API: 2 calls per second per Instagram account', () => {
  it('refuses the third call within a second with (#613), and allows it a second later', async () => {
    const { h, token } = await setup()
    const list = () => h.graph('GET', `/${ids.nordlichtPage}/conversations`, { platform: 'instagram', access_token: token })
    expect((await list()).status).toBe(200)
    expect((await list()).status).toBe(200)
    const third = await list()
    expect(third.status).toBe(400)
    expect(third.body).toMatchObject({ error: { code: 613, message: '(#613) Calls to this API have exceeded the rate limit.', is_transient: true } })
    // Another Instagram account has its own budget.
    const other = await h.graph('GET', `/${ids.hafenblickPage}/conversations`, { platform: 'instagram', access_token: (await connect(h)).pageTokens[ids.hafenblickPage] ?? '' })
    expect(other.status).toBe(200)
    await h.control('POST', 'clock', { advance: '1s' })
    expect((await list()).status).toBe(200)
  })

  it('is not enforced with enforceRateLimits:false, headers stay', async () => {
    const { h, token } = await setup(false)
    for (let i = 0; i < 5; i++) {
      const result = await h.graph('GET', `/${ids.nordlichtPage}/conversations`, { platform: 'instagram', access_token: token })
      expect(result.status).toBe(200)
      expect(result.headers.get('x-app-usage')).not.toBeNull()
    }
  })
})

describe('Send API limits', () => {
  it('allows 300 text sends per second, then (#613)', async () => {
    const { h, token } = await setup()
    const results = []
    for (let i = 0; i < 301; i++) {
      results.push((await h.graph('POST', '/me/messages', { recipient: { id: lea(h) }, message: { text: `n${i}` }, access_token: token }, 'json')).status)
    }
    expect(results.slice(0, 300).every((status) => status === 200)).toBe(true)
    expect(results[300]).toBe(400)
  })

  it('allows 10 audio/video sends per second, then (#613)', async () => {
    const { h, token } = await setup()
    const video = () => h.graph('POST', '/me/messages', { recipient: { id: lea(h) }, message: { attachment: { type: 'video', payload: { url: `${h.url}/cdn/synthetic/64/v.mp4` } } }, access_token: token }, 'json')
    for (let i = 0; i < 10; i++) expect((await video()).status).toBe(200)
    expect((await video()).body).toMatchObject({ error: { code: 613 } })
    // Text keeps its own, larger budget.
    expect((await h.graph('POST', '/me/messages', { recipient: { id: lea(h) }, message: { text: 'still fine' }, access_token: token }, 'json')).status).toBe(200)
  })
})

describe('usage headers and hourly budgets', () => {
  it('sends X-App-Usage on Graph calls and X-Business-Use-Case-Usage for page tokens', async () => {
    const { h, token, userToken } = await setup()
    const user = await h.graph('GET', '/me', { access_token: userToken })
    expect(JSON.parse(user.headers.get('x-app-usage') ?? '')).toEqual({ call_count: expect.any(Number), total_time: expect.any(Number), total_cputime: expect.any(Number) })
    expect(user.headers.get('x-business-use-case-usage')).toBeNull()
    const page = await h.graph('GET', `/${ids.nordlichtPage}/conversations`, { platform: 'instagram', access_token: token })
    const usage = JSON.parse(page.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; call_count: number; estimated_time_to_regain_access: number }[]>
    expect(usage[ids.nordlichtPage]?.[0]).toMatchObject({ type: 'pages', call_count: expect.any(Number), total_cputime: expect.any(Number), total_time: expect.any(Number), estimated_time_to_regain_access: 0 })
    expect(usage[ids.nordlichtIg]?.[0]).toMatchObject({ type: 'instagram', call_count: 50 })
    const control = await fetch(`${h.url}/__sandbox/state`)
    expect(control.headers.get('x-app-usage')).toBeNull()
  })

  it('answers (#4), (#17) and (#32) when the app, user or page budget is used up', async () => {
    const { h, token, userToken } = await setup()
    await h.control('POST', 'limits', { pageCallsPerHour: 2 })
    await h.graph('GET', '/me', { access_token: token })
    await h.graph('GET', '/me', { access_token: token })
    expect((await h.graph('GET', '/me', { access_token: token })).body).toMatchObject({ error: { code: 32 } })
    const pageUsage = JSON.parse((await h.graph('GET', '/me', { access_token: token })).headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { call_count: number }[]>
    expect(pageUsage[ids.nordlichtPage]?.[0]?.call_count).toBe(100)

    await h.control('POST', 'limits', { userCallsPerHour: 1 })
    await h.graph('GET', '/me', { access_token: userToken })
    expect((await h.graph('GET', '/me', { access_token: userToken })).body).toMatchObject({ error: { code: 17 } })

    await h.control('POST', 'limits', { appCallsPerHour: 1 })
    const app = await h.graph('GET', '/me', { access_token: userToken })
    expect(app.body).toMatchObject({ error: { code: 4, message: '(#4) Application request limit reached', is_transient: true } })
    expect(JSON.parse(app.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 100 })

    await h.control('POST', 'clock', { advance: '1h' })
    expect((await h.graph('GET', '/me', { access_token: userToken })).status).toBe(200)
  })
})
