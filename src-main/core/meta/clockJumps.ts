// When Meta's time, as main counts it, jumps. Left alone it runs with the monotonic clock, so the
// difference between the two stays put; when the sandbox's clock is moved or this machine's clock
// is set, the difference changes, and whoever shows reply windows must count again.

/** Smaller changes are the wobble of reading a remote clock, not a jump. */
export const CLOCK_JUMP_MS = 1_000

export function createJumpWatch(now: () => number, monotonic: () => number = () => performance.now()) {
  const listeners = new Set<(now: number) => void>()
  let course = now() - monotonic()
  return {
    /** Tells every listener when the clock left its course since the last jump. */
    check() {
      const at = now()
      const next = at - monotonic()
      if (Math.abs(next - course) < CLOCK_JUMP_MS) return
      course = next
      for (const listener of listeners) listener(at)
    },
    subscribe(listener: (now: number) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
