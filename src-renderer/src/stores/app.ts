import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { AppInfo, AppStatus } from '../../../src-main/core/contract/index.ts'
import type { ConnectionState } from '../api/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** What Parley is (version, mode, data directory) and whether this window is talking to it. */
export const useAppStore = defineStore('app', () => {
  const connection = inject(CONNECTION)!
  const info = ref<AppInfo | null>(null)
  const status = ref<AppStatus | null>(null)
  const connectionState = ref<ConnectionState>('connecting')
  /** Why the window could not load what it needs, in plain words. */
  const problem = ref<string | null>(null)

  connection.onConnection((state) => (connectionState.value = state))
  connection.api.on('app.status', (payload) => (status.value = payload))

  async function load() {
    info.value = await connection.api.call('app.info')
  }

  return { info, status, connectionState, problem, load }
})
