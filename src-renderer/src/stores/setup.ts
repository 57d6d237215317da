import { defineStore } from 'pinia'
import { computed, inject, ref } from 'vue'
import type { LoginFinished } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

export type LoginPurpose = 'create' | 'recreate'
export type LoginPhase = 'idle' | 'starting' | 'waiting' | 'finished'

export const POPUP_NAME = 'parley-facebook-login'
const POPUP_FEATURES = 'popup,width=620,height=720'

/**
 * One Facebook login at a time (S3): "Instagram Login" for a new integration, or "Recreate" for a
 * disconnected one. While a loginId is held, main keeps that login's Facebook session; `end()`
 * clears it (S10) and is called on Cancel, Save, Delete and when the page is left.
 */
export const useSetupStore = defineStore('setup', () => {
  const connection = inject(CONNECTION)!
  const { api } = connection
  const loginId = ref<string | null>(null)
  const purpose = ref<LoginPurpose>('create')
  const integrationId = ref<string | null>(null)
  const phase = ref<LoginPhase>('idle')
  const result = ref<LoginFinished | null>(null)
  const startError = ref<unknown>(null)
  /** The popup address when the browser blocked the popup: offered as a link instead. */
  const popupFallbackUrl = ref<string | null>(null)
  let popup: Window | null = null
  // Each start and end bumps this: a login.start answered after the page was left is ended at once.
  let attempt = 0
  // login.finished that arrived before login.start answered (a fast login, or a test).
  const early = new Map<string, LoginFinished>()

  const loggedIn = computed(() => phase.value === 'finished' && result.value?.outcome === 'ok')

  api.on('login.finished', (payload) => {
    if (phase.value === 'waiting' && payload.loginId === loginId.value) finish(payload)
    else if (phase.value === 'starting') early.set(payload.loginId, payload)
  })

  function finish(payload: LoginFinished) {
    result.value = payload
    phase.value = 'finished'
    // The popup is not closed here: it is on its way through Facebook's logout (S10) and closes
    // itself at the end. Closing it now would cut that short and leave the session alive.
  }

  /** Must be called straight from the click handler: the popup is opened before the first await. */
  async function start(nextPurpose: LoginPurpose, forIntegration?: string) {
    // Browser host: a window opened after an await counts as unrequested and is blocked, so open a
    // blank one now and send it to Facebook once main has said where.
    const blank = connection.transport === 'websocket' ? window.open('', POPUP_NAME, POPUP_FEATURES) : null
    const mine = ++attempt
    const previous = loginId.value
    loginId.value = null
    purpose.value = nextPurpose
    integrationId.value = forIntegration ?? null
    phase.value = 'starting'
    result.value = null
    startError.value = null
    popupFallbackUrl.value = null
    early.clear()
    if (previous) void endLogin(previous)
    try {
      const started = await api.call('login.start', forIntegration ? { purpose: nextPurpose, integrationId: forIntegration } : { purpose: nextPurpose })
      if (mine !== attempt) {
        blank?.close()
        void endLogin(started.loginId)
        return
      }
      loginId.value = started.loginId
      if (started.popupUrl) {
        if (blank && !blank.closed) {
          blank.location.href = started.popupUrl
          popup = blank
        } else {
          popupFallbackUrl.value = started.popupUrl
        }
      } else {
        // Desktop: main opens its own login window.
        blank?.close()
      }
      phase.value = 'waiting'
      const arrived = early.get(started.loginId)
      early.clear()
      if (arrived) finish(arrived)
    } catch (error) {
      blank?.close()
      if (mine !== attempt) return
      phase.value = 'idle'
      startError.value = error
    }
  }

  async function endLogin(id: string) {
    try {
      await api.call('login.end', { loginId: id })
    } catch {
      // Best effort: main also ends logins on its own when they expire.
    }
  }

  /** S10: ends the held login's Facebook session; what the person saw stays on screen. */
  async function end() {
    attempt++
    if (popup && !popup.closed) popup.close()
    popup = null
    popupFallbackUrl.value = null
    const id = loginId.value
    loginId.value = null
    if (phase.value === 'waiting' || phase.value === 'starting') phase.value = 'idle'
    if (id) await endLogin(id)
  }

  /** Ends the login and forgets its outcome: the form starts over. */
  async function reset() {
    const ending = end()
    phase.value = 'idle'
    result.value = null
    startError.value = null
    await ending
  }

  return { loginId, purpose, integrationId, phase, result, startError, popupFallbackUrl, loggedIn, start, end, reset }
})
