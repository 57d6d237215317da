import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandInput, PersonView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** P2: the people of a team (supervisors), kept current by `people.changed` from any node. */
export const usePeopleStore = defineStore('people', () => {
  const { api } = inject(CONNECTION)!
  const people = ref<PersonView[]>([])
  const loaded = ref(false)

  async function load() {
    people.value = await api.call('people.list')
    loaded.value = true
  }
  api.on('people.changed', () => {
    if (loaded.value) load().catch(() => {})
  })

  const replace = (person: PersonView) => {
    const index = people.value.findIndex((p) => p.id === person.id)
    if (index >= 0) people.value.splice(index, 1, person)
    else people.value.push(person)
    return person
  }

  return {
    people,
    loaded,
    load,
    add: async (input: CommandInput<'people.add'>) => replace(await api.call('people.add', input)),
    update: async (input: CommandInput<'people.update'>) => replace(await api.call('people.update', input)),
    resetPassword: (id: string, password: string) => api.call('people.resetPassword', { id, password }),
    deactivate: async (id: string) => replace(await api.call('people.deactivate', { id })),
    reactivate: async (id: string) => replace(await api.call('people.reactivate', { id })),
  }
})
