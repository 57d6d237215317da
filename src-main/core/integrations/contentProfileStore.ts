import { randomUUID } from 'node:crypto'
import { ParleyError } from '../contract/errors.ts'
import { isStoreError, type ContentProfileRepository } from '../store/index.ts'
import { ContentProfile, DEFAULT_CONTENT_PROFILE, DEFAULT_PROFILE_ID } from './contentProfiles.ts'

export type ContentProfileDraft = Omit<ContentProfile, 'id'> & { id?: string }

/** Read from memory (every attachment is checked against one), written to the store; see IntegrationStore. */
export interface ContentProfileStore {
  list(): ContentProfile[]
  get(id: string): ContentProfile
  save(draft: ContentProfileDraft): Promise<ContentProfile>
  delete(id: string, inUseBy: string[]): Promise<void>
  refresh(): Promise<void>
}

/** S8: the default profile (in code, unchangeable) plus the supervisor's own, kept in the store. */
export async function createContentProfileStore(repository: ContentProfileRepository): Promise<ContentProfileStore> {
  let custom: ContentProfile[] = []
  const refresh = async () => {
    custom = await repository.list()
  }
  await refresh()
  const list = () => [DEFAULT_CONTENT_PROFILE, ...custom]
  const duplicate = (name: string) => new ParleyError('duplicate_name', `A content profile called "${name}" already exists.`)
  return {
    list,
    get: (id) => list().find((p) => p.id === id) ?? DEFAULT_CONTENT_PROFILE,
    async save(draft) {
      if (draft.id === DEFAULT_PROFILE_ID) throw new ParleyError('profile_locked', 'The default profile cannot be changed; create a new one instead.')
      if (draft.id && !(await repository.get(draft.id))) throw new ParleyError('not_found', 'That content profile no longer exists.')
      const profile = ContentProfile.parse({ ...draft, id: draft.id ?? randomUUID() })
      if (profile.name.toLowerCase() === DEFAULT_CONTENT_PROFILE.name.toLowerCase()) throw duplicate(profile.name)
      try {
        await repository.put(profile)
      } catch (error) {
        if (isStoreError(error, 'conflict')) throw duplicate(profile.name)
        throw error
      }
      await refresh()
      return profile
    },
    async delete(id, inUseBy) {
      if (id === DEFAULT_PROFILE_ID) throw new ParleyError('profile_locked', 'The default profile cannot be deleted.')
      if (inUseBy.length) {
        throw new ParleyError('profile_in_use', `This profile is used by ${inUseBy.join(', ')}. Choose another profile there first.`)
      }
      await repository.delete(id)
      await refresh()
    },
    refresh,
  }
}
