import { defineStore } from 'pinia'
import { inject, onScopeDispose, ref } from 'vue'
import { onConnected } from '../api/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** Countdowns show minutes: between jumps, "now" moves on once a minute. */
const TICK_MS = 60_000

/**
 * A3: Meta's time as main counts it — the sandbox's clock, whoever moved it, or this machine's in
 * live mode — for reply windows, countdowns and the composer. The window keeps main's offset from
 * its own clock, and takes a new one whenever main says the clock jumped or the connection comes
 * back (a jump may have happened meanwhile).
 */
export const useClockStore = defineStore('clock', () => {
  const connection = inject(CONNECTION)!
  const { api } = connection
  let offsetMs = 0
  let known = false
  const read = () => Date.now() + offsetMs
  const now = ref(read())

  function take(metaNow: number) {
    offsetMs = metaNow - Date.now()
    known = true
    now.value = read()
  }
  const ask = () => api.call('app.clock').then(({ now }) => take(now), () => {})

  api.on('clock.changed', ({ now }) => take(now))
  void ask()
  onConnected(connection, () => {
    if (known) void ask()
  })
  const timer = setInterval(() => (now.value = read()), TICK_MS)
  onScopeDispose(() => clearInterval(timer))

  return { now }
})
