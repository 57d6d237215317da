import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandOutput, SandboxAction, SandboxPanelState } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

type Outcome =
  | { kind: 'action'; action: SandboxAction['action']; result: CommandOutput<'sandbox.act'> }
  | { kind: 'clock'; advance: string; now: string }
  | { kind: 'error'; error: unknown }
export type SandboxResult = Outcome & { seq: number }

/** The "Sandbox" view (item 9): act as a customer, move the sandbox's clock, and what came of it. */
export const useSandboxPanelStore = defineStore('sandboxPanel', () => {
  const { api } = inject(CONNECTION)!
  const state = ref<SandboxPanelState | null>(null)
  const loadError = ref<unknown>(null)
  const busy = ref(false)
  /** Newest first. */
  const results = ref<SandboxResult[]>([])
  let seq = 0

  async function load() {
    try {
      state.value = await api.call('sandbox.state')
      loadError.value = null
    } catch (e) {
      loadError.value = e
    }
  }

  function record(result: Outcome) {
    results.value = [{ ...result, seq: ++seq }, ...results.value].slice(0, 20)
  }

  async function act(action: SandboxAction) {
    busy.value = true
    try {
      const result = await api.call('sandbox.act', action)
      record({ kind: 'action', action: action.action, result })
      // Recent messages (and the clock) change with what the customer did.
      await load()
    } catch (error) {
      record({ kind: 'error', error })
    } finally {
      busy.value = false
    }
  }

  async function advanceClock(advance: string) {
    busy.value = true
    try {
      const { now } = await api.call('sandbox.clock', { advance })
      if (state.value) state.value = { ...state.value, now }
      record({ kind: 'clock', advance, now })
    } catch (error) {
      record({ kind: 'error', error })
    } finally {
      busy.value = false
    }
  }

  return { state, loadError, busy, results, load, act, advanceClock }
})
