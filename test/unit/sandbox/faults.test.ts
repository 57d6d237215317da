// Injected faults: Meta errors, HTTP statuses, dropped connections, probabilities and counts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, ids, startHarness, type Harness } from './helpers.ts'

let h: Harness
let userToken: string
beforeEach(async () => {
  h = await startHarness()
  userToken = (await connect(h, [ids.nordlichtPage])).longLivedToken
})
afterEach(async () => {
  await h.close()
})

const me = () => h.graph('GET', '/v25.0/me', { access_token: userToken })

describe('faults', () => {
  it('answers a Meta error on matching paths, a given number of times', async () => {
    const added = await h.control<{ faults: { id: number }[] }>('POST', 'faults', { path: '/me', error: { code: 2, message: 'An unexpected error has occurred. Please retry your request later.' }, times: 1 })
    expect(added.body.faults).toHaveLength(1)
    const failed = await me()
    expect(failed.status).toBe(500)
    expect(failed.body).toMatchObject({ error: { code: 2, type: 'OAuthException', is_transient: true, fbtrace_id: expect.any(String) } })
    expect((await me()).status).toBe(200)
    expect((await h.control<{ faults: unknown[] }>('GET', 'faults')).body.faults).toEqual([])
  })

  it('answers a status with a Meta-shaped body, on a method and a glob', async () => {
    await h.control('POST', 'faults', [{ path: '/*/conversations', method: 'GET', status: 503 }])
    const token = (await connect(h, [ids.nordlichtPage])).pageTokens[ids.nordlichtPage] ?? ''
    const conversations = await h.graph('GET', `/v25.0/${ids.nordlichtPage}/conversations`, { platform: 'instagram', access_token: token })
    expect(conversations.status).toBe(503)
    expect(conversations.body).toMatchObject({ error: { code: 2 } })
    expect((await me()).status).toBe(200)
  })

  it('drops the connection without answering', async () => {
    await h.control('POST', 'faults', { rules: [{ path: '/me', drop: true }] })
    await expect(me()).rejects.toThrow()
    await h.control('DELETE', 'faults')
    expect((await me()).status).toBe(200)
  })

  it('loses the answer of a request that took effect (dropAnswer)', async () => {
    const token = (await connect(h, [ids.nordlichtPage])).pageTokens[ids.nordlichtPage] ?? ''
    const lea = h.state.customers.find((c) => c.id === 'lea')?.igsids[ids.nordlichtIg] ?? ''
    await h.control('POST', 'inbound', { to: ids.nordlichtIg, from: 'lea', text: 'hello' })
    await h.control('POST', 'faults', { path: '/me/messages', method: 'POST', dropAnswer: true, times: 1 })
    const send = () => h.graph('POST', '/v25.0/me/messages', { recipient: { id: lea }, message: { text: 'sent once, answer lost' }, access_token: token }, 'json')
    await expect(send()).rejects.toThrow()
    const sent = (await h.control<{ data: { message: { text?: string }; outcome: string }[] }>('GET', 'sent')).body.data
    expect(sent.map((s) => [s.message.text, s.outcome])).toEqual([['sent once, answer lost', 'accepted']])
    expect((await send()).status).toBe(200)
  })

  it('takes the sandbox off the network and back on the same address, state kept', async () => {
    await h.control('POST', 'faults', { path: '/never', drop: true })
    await h.sandbox.setReachable(false)
    await expect(fetch(`${h.url}/__sandbox/state`)).rejects.toThrow()
    await h.sandbox.setReachable(true)
    expect((await me()).status).toBe(200)
    expect((await h.control<{ faults: unknown[] }>('GET', 'faults')).body.faults).toHaveLength(1)
  })

  it('rate 0 never fires; regex paths and delays are accepted', async () => {
    await h.control('POST', 'faults', { path: '/me', error: { code: 1 }, rate: 0 })
    expect((await me()).status).toBe(200)
    await h.control('DELETE', 'faults')
    await h.control('POST', 'faults', { path: '/^\\/me$/', delayMs: 20, error: { code: 368, subcode: 1390008, message: '(#368) Temporarily blocked for policies violations' } })
    expect((await me()).body).toMatchObject({ error: { code: 368, error_subcode: 1390008, message: '(#368) Temporarily blocked for policies violations' } })
  })

  it('never applies to the control API', async () => {
    await h.control('POST', 'faults', { path: '/**', drop: true })
    const state = await h.control('GET', 'state')
    expect(state.status).toBe(200)
    await expect(me()).rejects.toThrow()
  })

  it('validates rules', async () => {
    const bad = await h.control<{ error: { message: string } }>('POST', 'faults', { path: '/me', rate: 2 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('rate')
    const webhookError = await h.control<{ error: { message: string } }>('POST', 'faults', { target: 'webhooks', path: '/**', status: 500 })
    expect(webhookError.status).toBe(400)
    expect(webhookError.body.error.message).toContain('webhook faults can only delay, drop or lose the answer')
  })
})
