import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandInput, QueueView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** R1: the queues supervisors manage (Admin → Contact center → Queues), by name, kept current by `queues.changed` from any node. */
export const useQueuesStore = defineStore('queues', () => {
  const { api } = inject(CONNECTION)!
  const queues = ref<QueueView[]>([])
  const loaded = ref(false)

  const byName = (a: QueueView, b: QueueView) => a.name.localeCompare(b.name)

  async function load() {
    queues.value = (await api.call('queues.list')).sort(byName)
    loaded.value = true
  }
  api.on('queues.changed', () => {
    if (loaded.value) load().catch(() => {})
  })

  function put(queue: QueueView) {
    const index = queues.value.findIndex((q) => q.id === queue.id)
    if (index >= 0) queues.value.splice(index, 1, queue)
    else queues.value.push(queue)
    queues.value.sort(byName)
    return queue
  }

  async function remove(id: string) {
    await api.call('queues.delete', { id })
    queues.value = queues.value.filter((q) => q.id !== id)
  }

  return {
    queues,
    loaded,
    load,
    create: async (input: CommandInput<'queues.create'>) => put(await api.call('queues.create', input)),
    update: async (input: CommandInput<'queues.update'>) => put(await api.call('queues.update', input)),
    remove,
  }
})
