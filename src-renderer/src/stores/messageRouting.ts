import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { RoutingRules, RoutingSettings } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** R1 and R4: each integration's ordered rules and Default queue, and the installation's threading window. */
export const useMessageRoutingStore = defineStore('messageRouting', () => {
  const { api } = inject(CONNECTION)!
  const rules = ref<RoutingRules | null>(null)
  const settings = ref<RoutingSettings | null>(null)
  // A reply for an integration chosen before the current one is dropped.
  let asked = 0

  async function loadRules(integrationId: string) {
    const request = ++asked
    const loaded = await api.call('routing.rules', { integrationId })
    if (request === asked) rules.value = loaded
    return loaded
  }

  async function saveRules(input: RoutingRules) {
    const saved = await api.call('routing.setRules', input)
    if (rules.value?.integrationId === saved.integrationId) rules.value = saved
    return saved
  }

  async function loadSettings() {
    settings.value = await api.call('routing.settings')
    return settings.value
  }

  async function saveSettings(input: RoutingSettings) {
    settings.value = await api.call('routing.setSettings', input)
    return settings.value
  }

  return { rules, settings, loadRules, saveRules, loadSettings, saveSettings }
})
