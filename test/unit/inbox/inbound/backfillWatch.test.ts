// The live webhook's schedule: backfill at start, again as soon as Meta answers after an outage, and
// polling only while the webhook is not registered or Meta is out of reach.
import { describe, expect, it } from 'vitest'
import { createStderrLogger } from '../../../../src-main/core/app/logger.ts'
import { GraphError } from '../../../../src-main/core/graph/index.ts'
import type { AccountPoll } from '../../../../src-main/core/inbox/inbound/index.ts'
import { createLiveWebhook } from '../../../../src-main/core/inbox/webhook/liveWebhook.ts'

const log = createStderrLogger({ write: () => true } as never)
const pass = (problem: string | null = null) => [{ igAccountId: '1', problem } as AccountPoll]
const tick = () => new Promise((resolve) => setTimeout(resolve, 30))

function harness(register: () => Promise<void>, polls: AccountPoll[][]) {
  const listeners = new Set<(reachable: boolean) => void>()
  const states: unknown[] = []
  let passes = 0
  const live = createLiveWebhook({
    graph: { onReachabilityChange: (listener) => (listeners.add(listener), () => void listeners.delete(listener)) },
    register,
    pollOnce: async () => polls[passes++] ?? pass(),
    where: { callbackUrl: 'https://parley.example.com/webhooks/instagram', host: '127.0.0.1', port: 47600 },
    // Long: only reachability or the start may cause a pass unless a test wants the interval.
    intervalMs: 3_600_000,
    log,
    onState: (state) => states.push(state),
  })
  return { live, states, passes: () => passes, reach: (r: boolean) => listeners.forEach((l) => l(r)), listeners }
}

describe('the live webhook’s backfill', () => {
  it('registered: one backfill at start, none on a schedule, one more when Meta answers after an outage', async () => {
    const h = harness(async () => {}, [])
    await h.live.start()
    await tick()
    expect(h.states).toEqual([{ receiving: 'webhook', problem: null }])
    expect(h.passes()).toBe(1)
    h.reach(true)
    await tick()
    expect(h.passes()).toBe(1)
    h.reach(false)
    await tick()
    expect(h.passes()).toBe(1)
    h.reach(true)
    await tick()
    expect(h.passes()).toBe(2)
    await h.live.stop()
    expect(h.listeners.size).toBe(0)
  })

  it('refused by Meta: a problem, polling every interval, and no second registration until saved again', async () => {
    let registrations = 0
    let polls = 0
    const states: unknown[] = []
    const refused = new GraphError({ kind: 'unknown', reason: 'unknown', message: 'Meta said no', metaMessage: '(#2200) callback verification failed' })
    const live = createLiveWebhook({
      graph: { onReachabilityChange: () => () => {} },
      register: async () => {
        registrations++
        throw refused
      },
      pollOnce: async () => (polls++, pass()),
      where: { callbackUrl: 'https://parley.example.com/webhooks/instagram', host: '127.0.0.1', port: 47600 },
      intervalMs: 5,
      log,
      onState: (state) => states.push(state),
    })
    await live.start()
    await tick()
    await live.stop()
    expect(states).toEqual([{ receiving: 'polling', problem: expect.objectContaining({ code: 'webhook.refused', message: expect.stringContaining('(#2200) callback verification failed') }) }])
    expect(registrations).toBe(1)
    expect(polls).toBeGreaterThan(1)
  })

  it('Meta out of reach at registration: tries again with the next pass', async () => {
    let registrations = 0
    const offline = new GraphError({ kind: 'network', reason: 'network.offline', message: 'offline' })
    const h = harness(async () => {
      registrations++
      if (registrations === 1) throw offline
    }, [pass('network.offline')])
    await h.live.start()
    expect(h.states.at(-1)).toMatchObject({ receiving: 'polling', problem: { code: 'webhook.unreachable' } })
    h.reach(false)
    h.reach(true)
    await tick()
    expect(registrations).toBe(2)
    expect(h.states.at(-1)).toEqual({ receiving: 'webhook', problem: null })
    await h.live.stop()
  })
})
