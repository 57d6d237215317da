// The pacer on virtual time: 2 calls per second per account, in any sliding second.
import { describe, expect, it } from 'vitest'
import { createTokenBucketPacer } from '../../../../src-main/core/inbox/inbound/index.ts'

function virtualClock() {
  let t = 1_800_000_000_000
  return { now: () => t, sleep: async (ms: number) => void (t += ms) }
}

const maxInAnySecond = (times: number[]) => Math.max(...times.map((at) => times.filter((o) => o > at - 1000 && o <= at).length))

describe('token-bucket pacer', () => {
  it('lets 2 calls per second through, spaced, in any 1-second window', async () => {
    const clock = virtualClock()
    const waits: number[] = []
    const pacer = createTokenBucketPacer({ ...clock, onWait: (_key, ms) => waits.push(ms) })
    const times: number[] = []
    for (let i = 0; i < 20; i++) {
      await pacer.take('ig-1')
      times.push(clock.now())
    }
    expect(maxInAnySecond(times)).toBe(2)
    expect(times.at(-1)! - times[0]!).toBe(19 * 500)
    expect(waits).toEqual(Array(19).fill(500))
  })

  it('paces each account on its own', async () => {
    const clock = virtualClock()
    const pacer = createTokenBucketPacer(clock)
    expect(await pacer.take('a')).toBe(0)
    expect(await pacer.take('b')).toBe(0)
    expect(await pacer.take('a')).toBe(500)
  })

  it('does not save up idle time beyond its burst', async () => {
    const clock = virtualClock()
    const pacer = createTokenBucketPacer(clock)
    await pacer.take('a')
    await clock.sleep(60_000)
    expect(await pacer.take('a')).toBe(0)
    expect(await pacer.take('a')).toBe(500)
  })

  it('concurrent callers still queue up behind one another', async () => {
    // Timers on virtual time: sleeping callers wake in order of their due times, as with real timers.
    let t = 0
    const timers: { at: number; wake: () => void }[] = []
    const pacer = createTokenBucketPacer({ now: () => t, sleep: (ms) => new Promise<void>((wake) => timers.push({ at: t + ms, wake })) })
    const times: number[] = []
    let done = false
    const all = Promise.all(Array.from({ length: 6 }, () => pacer.take('a').then(() => times.push(t)))).then(() => (done = true))
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve))
      timers.sort((a, b) => a.at - b.at)
      const next = timers.shift()
      if (next) {
        t = Math.max(t, next.at)
        next.wake()
      }
    }
    await all
    expect(times).toEqual([0, 500, 1000, 1500, 2000, 2500])
  })

  it('refuses nonsense settings', () => {
    expect(() => createTokenBucketPacer({ ...virtualClock(), ratePerSecond: 0 })).toThrow(TypeError)
    expect(() => createTokenBucketPacer({ ...virtualClock(), burst: 0 })).toThrow(TypeError)
  })
})
