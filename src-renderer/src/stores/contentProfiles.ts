import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandInput, ContentProfileView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

export type ContentProfileDraft = CommandInput<'contentProfiles.save'>

/** S8: the content profiles ("Supported content"), the built-in default first. */
export const useContentProfilesStore = defineStore('contentProfiles', () => {
  const { api } = inject(CONNECTION)!
  const profiles = ref<ContentProfileView[]>([])
  const loaded = ref(false)

  async function load() {
    profiles.value = await api.call('contentProfiles.list')
    loaded.value = true
  }

  async function save(draft: ContentProfileDraft) {
    const saved = await api.call('contentProfiles.save', draft)
    const index = profiles.value.findIndex((p) => p.id === saved.id)
    if (index >= 0) profiles.value.splice(index, 1, saved)
    else profiles.value.push(saved)
    return saved
  }

  async function remove(id: string) {
    await api.call('contentProfiles.delete', { id })
    profiles.value = profiles.value.filter((p) => p.id !== id)
  }

  return { profiles, loaded, load, save, remove }
})
