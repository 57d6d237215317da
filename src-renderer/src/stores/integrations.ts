import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandInput, Integration, SaveResult } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** Something done on one page that the next page should tell the person (S7 saved, S12 deleted). */
export type IntegrationNotice = { kind: 'saved' | 'deleted' | 'recreated'; id: string; name: string }

/** The integrations (S1, S13), kept current by main's `integrations.changed` event. */
export const useIntegrationsStore = defineStore('integrations', () => {
  const { api } = inject(CONNECTION)!
  const integrations = ref<Integration[]>([])
  const loaded = ref(false)
  const checkedAt = ref<Date | null>(null)
  const notice = ref<IntegrationNotice | null>(null)
  // Bumped by every event: a reply to a request sent before an event is older than it, so dropped.
  let generation = 0

  api.on('integrations.changed', (list) => {
    generation++
    integrations.value = list
    loaded.value = true
  })

  async function replaceWith(request: Promise<Integration[]>) {
    const asked = generation
    const list = await request
    if (asked === generation) integrations.value = list
    loaded.value = true
  }

  const load = () => replaceWith(api.call('integrations.list'))

  async function checkHealth() {
    await replaceWith(api.call('integrations.checkHealth'))
    checkedAt.value = new Date()
  }

  function byId(id: string) {
    return integrations.value.find((integration) => integration.id === id)
  }

  function put(integration: Integration) {
    const index = integrations.value.findIndex((i) => i.id === integration.id)
    if (index >= 0) integrations.value.splice(index, 1, integration)
    else integrations.value.push(integration)
  }

  async function create(input: CommandInput<'integrations.create'>): Promise<SaveResult> {
    const result = await api.call('integrations.create', input)
    if (result.saved) put(result.integration)
    return result
  }

  async function recreate(id: string, loginId: string): Promise<SaveResult> {
    const result = await api.call('integrations.recreate', { id, loginId })
    if (result.saved) put(result.integration)
    return result
  }

  async function update(input: CommandInput<'integrations.update'>) {
    const updated = await api.call('integrations.update', input)
    put(updated)
    return updated
  }

  async function remove(id: string) {
    await api.call('integrations.delete', { id })
    integrations.value = integrations.value.filter((i) => i.id !== id)
  }

  return { integrations, loaded, checkedAt, notice, load, checkHealth, byId, create, recreate, update, remove }
})
