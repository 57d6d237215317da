import { defineStore } from 'pinia'
import { computed, inject, ref } from 'vue'
import type { INTEGRATION_PERMISSION, SessionView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** The supervisor's permission (S1): tied to the contract's constant by its type. */
export const INTEGRATION_ADMIN: typeof INTEGRATION_PERMISSION = 'messaging:instagramIntegration:all'

/** Who is using this window and what they may do; loaded at start, read by the router's guard. */
export const useSessionStore = defineStore('session', () => {
  const { api } = inject(CONNECTION)!
  const session = ref<SessionView | null>(null)
  let loading: Promise<void> | null = null

  const canManageIntegrations = computed(() => session.value?.permissions.includes(INTEGRATION_ADMIN) ?? false)
  /** Signed in to a Parley server (team mode), rather than a workstation's one user. */
  const team = computed(() => session.value?.team ?? false)
  /** P5: supervisors see every conversation and hand them out (team mode). */
  const isSupervisor = computed(() => session.value?.profile === 'supervisor')

  async function signOut(): Promise<void> {
    await api.call('session.signOut')
  }

  function load(): Promise<void> {
    loading = api.call('session.get').then(
      (value) => {
        session.value = value
      },
      (error: unknown) => {
        // Let the next navigation ask again rather than keep a failure forever.
        loading = null
        throw error
      },
    )
    return loading
  }

  /** Resolves once the session is known; loads it the first time. */
  function ensureLoaded(): Promise<void> {
    return loading ?? load()
  }

  return { session, canManageIntegrations, team, isSupervisor, load, ensureLoaded, signOut }
})
