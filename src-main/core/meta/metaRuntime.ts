import type { Mode } from '../contract/schemas.ts'
import { createGraphClient, type GraphClient, type GraphUsage } from '../graph/index.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import { createJumpWatch } from './clockJumps.ts'
import { startMetaBackend, type MetaBackend } from './metaBackend.ts'

/** How often the sandbox's clock is read (and jumps of this machine's clock looked for). */
export const CLOCK_FOLLOW_MS = 1_000

export interface MetaRuntime {
  mode(): Mode
  backend(): MetaBackend
  /** The Graph client for the current backend: sandbox or graph.facebook.com. */
  graph(): GraphClient
  /**
   * Meta's time, epoch ms. Reply windows are counted on it: in sandbox mode the sandbox's own clock
   * (which a person or a test can move forward), in live mode this machine's.
   */
  now(): number
  /** Reads the sandbox's clock again (after it was moved); nothing in live mode. */
  syncClock(): Promise<void>
  /**
   * Called with Meta's time whenever it jumps: the sandbox's clock was moved (by anyone), this
   * machine's clock was set, or the mode changed. Checked every second, and at once after a sync.
   */
  onClockJump(listener: (now: number) => void): () => void
  /** Live with the supervisor's app, or back to the sandbox (closing the one that was running). */
  switchTo(mode: Mode, liveAppId: string | null): Promise<void>
  close(): Promise<void>
}

export interface MetaRuntimeDeps {
  env: NodeJS.ProcessEnv
  secrets: ParleySecrets
  onUsage?: (usage: GraphUsage) => void
}

export async function startMetaRuntime(mode: Mode, liveAppId: string | null, deps: MetaRuntimeDeps): Promise<MetaRuntime> {
  const connect = async (nextMode: Mode, appId: string | null) => {
    const backend = await startMetaBackend(nextMode, appId, deps.env)
    const graph = createGraphClient({
      graphBase: backend.graphBase,
      webBase: backend.webBase,
      // Live mode without an App ID cannot happen: detectMode needs one. '0' only keeps types simple.
      appId: backend.appId ?? '0',
      // The sandbox's secret is part of its seed; a live secret is read from the keychain per call.
      appSecret: backend.kind === 'sandbox' ? async () => backend.sandboxAppSecret : () => deps.secrets.metaAppSecret.get(),
      onUsage: deps.onUsage,
    })
    return { mode: nextMode, backend, graph }
  }
  let current = await connect(mode, liveAppId)
  let offsetMs = 0
  const now = () => Date.now() + offsetMs
  const jumps = createJumpWatch(now)
  const syncClock = async () => {
    const url = current.backend.sandboxUrl
    if (!url) {
      offsetMs = 0
    } else {
      try {
        const asked = Date.now()
        const clock = (await (await fetch(`${url}/__sandbox/clock`)).json()) as { now: string; nowMs?: number }
        // Its answer is from halfway through the request; `now` alone is only to the second.
        const at = typeof clock.nowMs === 'number' ? clock.nowMs : Date.parse(clock.now.replace(/\+0000$/, 'Z'))
        offsetMs = Math.round(at - (asked + Date.now()) / 2)
      } catch {
        // The sandbox is briefly unreachable: keep the last known offset.
      }
    }
    jumps.check()
  }
  await syncClock()
  // A person or a test may move the sandbox's clock at any time (and this machine's clock may be
  // set): follow it often enough that every window shows the change within two seconds.
  const follow = setInterval(() => void syncClock(), CLOCK_FOLLOW_MS)
  follow.unref()
  return {
    mode: () => current.mode,
    backend: () => current.backend,
    graph: () => current.graph,
    now,
    syncClock,
    onClockJump: jumps.subscribe,
    async switchTo(nextMode, appId) {
      const next = await connect(nextMode, appId)
      const previous = current
      current = next
      await previous.backend.close()
      await syncClock()
    },
    async close() {
      clearInterval(follow)
      await current.backend.close()
    },
  }
}
