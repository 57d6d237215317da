import { afterEach, describe, expect, it, vi } from 'vitest'
import { CLOCK_JUMP_MS, createJumpWatch } from '../../../src-main/core/meta/clockJumps.ts'
import { startMetaRuntime, type MetaRuntime } from '../../../src-main/core/meta/metaRuntime.ts'
import { createMemorySecretStore, createParleySecrets } from '../../../src-main/core/secrets/secretStore.ts'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox/index.ts'

describe('a jump of Meta’s clock', () => {
  it('is a change of the clock against the monotonic clock, not the clock running on', () => {
    let wall = 1_000_000
    let mono = 0
    const watch = createJumpWatch(() => wall, () => mono)
    const heard: number[] = []
    watch.subscribe((now) => heard.push(now))

    // Time passes on both: no jump, however long.
    wall += 3_600_000
    mono += 3_600_000
    watch.check()
    // Reading a remote clock wobbles a little: no jump either.
    wall += CLOCK_JUMP_MS - 1
    watch.check()
    expect(heard).toEqual([])

    // Moved forward a day (the sandbox), then set back a minute (this machine's clock): both heard, once each.
    wall += 86_400_000
    watch.check()
    watch.check()
    wall -= 60_000
    watch.check()
    expect(heard).toEqual([1_000_000 + 3_600_000 + CLOCK_JUMP_MS - 1 + 86_400_000, 1_000_000 + 3_600_000 + CLOCK_JUMP_MS - 1 + 86_400_000 - 60_000])
  })

  it('stops being told to a listener that unsubscribed', () => {
    let wall = 0
    const watch = createJumpWatch(() => wall, () => 0)
    const heard = vi.fn()
    const off = watch.subscribe(heard)
    off()
    wall = 86_400_000
    watch.check()
    expect(heard).not.toHaveBeenCalled()
  })
})

describe('main’s notion of Meta’s clock in sandbox mode', () => {
  let sandbox: RunningSandbox | undefined
  let meta: MetaRuntime | undefined
  afterEach(async () => {
    await meta?.close()
    await sandbox?.close()
  })

  it('follows the sandbox’s clock moved by anyone through its control API, and says that it jumped', async () => {
    sandbox = await startSandbox({ port: 0 })
    const env = { PARLEY_SANDBOX_URL: sandbox.url, PARLEY_SANDBOX_APP_ID: sandbox.appId, PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret }
    meta = await startMetaRuntime('sandbox', null, { env, secrets: createParleySecrets(createMemorySecretStore(), 'test') })
    const jumps: number[] = []
    meta.onClockJump((now) => jumps.push(now))
    const before = meta.now()

    // Not through Parley: a test or a person at `npm run sandbox` moves it.
    const moved = (await (await fetch(`${sandbox.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":"25h"}' })).json()) as { nowMs: number }
    // Told once it is seen, at most a poll later; on a busy machine a slow read may add a jump of its own.
    const near = (at: number) => Math.abs(at - moved.nowMs) < 3 * CLOCK_JUMP_MS
    await vi.waitFor(() => expect(jumps.some(near)).toBe(true), { timeout: 10_000, interval: 50 })
    expect(meta.now() - before).toBeGreaterThanOrEqual(25 * 3_600_000)
  })
})
