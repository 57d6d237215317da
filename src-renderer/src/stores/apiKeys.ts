import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { ApiKeyView, CommandInput } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** I1: the team's API keys (supervisors), kept current by `apiKeys.changed` from any node. */
export const useApiKeysStore = defineStore('apiKeys', () => {
  const { api } = inject(CONNECTION)!
  const keys = ref<ApiKeyView[]>([])
  const loaded = ref(false)

  async function load() {
    keys.value = await api.call('apiKeys.list')
    loaded.value = true
  }
  api.on('apiKeys.changed', () => {
    if (loaded.value) load().catch(() => {})
  })

  /** The key itself is in this answer only: the view shows it once. */
  async function create(input: CommandInput<'apiKeys.create'>) {
    const created = await api.call('apiKeys.create', input)
    keys.value = [created.key, ...keys.value.filter((k) => k.id !== created.key.id)]
    return created
  }

  async function revoke(id: string) {
    const revoked = await api.call('apiKeys.revoke', { id })
    keys.value = keys.value.map((k) => (k.id === id ? revoked : k))
  }

  return { keys, loaded, load, create, revoke }
})
