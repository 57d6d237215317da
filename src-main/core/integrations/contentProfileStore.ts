import { randomUUID } from 'node:crypto'
import { ParleyError } from '../contract/errors.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { ContentProfile, DEFAULT_CONTENT_PROFILE, DEFAULT_PROFILE_ID } from './contentProfiles.ts'

export type ContentProfileDraft = Omit<ContentProfile, 'id'> & { id?: string }

export interface ContentProfileStore {
  list(): ContentProfile[]
  get(id: string): ContentProfile
  save(draft: ContentProfileDraft): ContentProfile
  delete(id: string, inUseBy: string[]): void
}

const KEY = 'contentProfiles'

/** S8: the default profile plus the supervisor's own, kept in the settings file. */
export function createContentProfileStore(file: SettingsFile): ContentProfileStore {
  const custom = (): ContentProfile[] => {
    const stored = file.get(KEY)
    // A profile edited by hand into something invalid is skipped, not allowed to break the list.
    return Array.isArray(stored) ? stored.flatMap((p) => ContentProfile.safeParse(p).data ?? []) : []
  }
  const list = () => [DEFAULT_CONTENT_PROFILE, ...custom()]
  return {
    list,
    get: (id) => list().find((p) => p.id === id) ?? DEFAULT_CONTENT_PROFILE,
    save(draft) {
      if (draft.id === DEFAULT_PROFILE_ID) throw new ParleyError('profile_locked', 'The default profile cannot be changed; create a new one instead.')
      const profiles = custom()
      if (draft.id && !profiles.some((p) => p.id === draft.id)) throw new ParleyError('not_found', 'That content profile no longer exists.')
      const profile = ContentProfile.parse({ ...draft, id: draft.id ?? randomUUID() })
      if (list().some((p) => p.id !== profile.id && p.name.toLowerCase() === profile.name.toLowerCase())) {
        throw new ParleyError('duplicate_name', `A content profile called "${profile.name}" already exists.`)
      }
      file.set(KEY, draft.id ? profiles.map((p) => (p.id === profile.id ? profile : p)) : [...profiles, profile])
      return profile
    },
    delete(id, inUseBy) {
      if (id === DEFAULT_PROFILE_ID) throw new ParleyError('profile_locked', 'The default profile cannot be deleted.')
      if (inUseBy.length) {
        throw new ParleyError('profile_in_use', `This profile is used by ${inUseBy.join(', ')}. Choose another profile there first.`)
      }
      file.set(KEY, custom().filter((p) => p.id !== id))
    },
  }
}
