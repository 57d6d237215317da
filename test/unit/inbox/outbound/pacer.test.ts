import { describe, expect, it } from 'vitest'
import { createPacer } from '../../../../src-main/core/inbox/outbound/index.ts'

/** A clock that only moves when the pacer sleeps: what it waited for is exact, not timed. */
function fakeTime() {
  let t = 1_000_000
  const slept: number[] = []
  return { now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)), slept }
}

describe('the send pacer (Meta: 300/s text, 10/s audio and video per account)', () => {
  it('lets 300 text sends through in a second and holds the 301st until the window frees', async () => {
    const time = fakeTime()
    const pacer = createPacer(time)
    for (let i = 0; i < 300; i++) await pacer.take('ig-1', 'text')
    expect(time.slept).toEqual([])
    await pacer.take('ig-1', 'text')
    expect(time.slept).toEqual([1000])
  })

  it('counts audio/video apart from text, and each account apart', async () => {
    const time = fakeTime()
    const pacer = createPacer(time)
    for (let i = 0; i < 10; i++) await pacer.take('ig-1', 'media')
    await pacer.take('ig-1', 'text')
    for (let i = 0; i < 10; i++) await pacer.take('ig-2', 'media')
    expect(time.slept).toEqual([])
    await pacer.take('ig-1', 'media')
    expect(time.slept).toEqual([1000])
  })
})
