import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { AppInfo, AppStatus, SessionEndReason } from '../../../src-main/core/contract/index.ts'
import type { ConnectionState } from '../api/index.ts'
import { rememberSessionEnded } from '../api/startup.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** What Parley is (version, mode, data directory) and whether this window is talking to it. */
export const useAppStore = defineStore('app', () => {
  const connection = inject(CONNECTION)!
  const info = ref<AppInfo | null>(null)
  const status = ref<AppStatus | null>(null)
  const connectionState = ref<ConnectionState>('connecting')
  /** Why the window could not load what it needs, in plain words. */
  const problem = ref<string | null>(null)

  connection.api.on('app.status', (payload) => (status.value = payload))

  // P3: the session ended (signed out here or elsewhere, idle, deactivated): back to Sign in, saying why.
  let ended = false
  function sessionEnded(reason: SessionEndReason) {
    if (ended) return
    ended = true
    rememberSessionEnded(reason)
    window.location.reload()
  }
  connection.api.on('session.ended', ({ reason }) => sessionEnded(reason))
  connection.onConnection((state) => {
    connectionState.value = state
    if (state === 'signedOut') sessionEnded('expired')
  })

  async function load() {
    info.value = await connection.api.call('app.info')
  }

  return { info, status, connectionState, problem, load }
})
