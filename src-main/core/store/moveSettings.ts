// A workstation upgraded from a version that kept integrations and content profiles in config.json:
// they move into the store at the first start, and nothing is lost on the way.
//
// Order matters for a crash at any point: every entry is written to the store first (idempotent:
// by id, so a second run finds them there), and only then are the keys removed from the file. An
// entry that does not parse is never dropped: it is kept in the file under `…Unreadable`.
import type { Logger } from '../app/logger.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { StoredContentProfile, StoredIntegration } from './integrationSchemas.ts'
import type { Store } from './repositories.ts'

const MOVES = [
  { key: 'integrations', schema: StoredIntegration },
  { key: 'contentProfiles', schema: StoredContentProfile },
] as const

/** Returns how many entries moved. */
export async function moveSettingsIntoStore(file: SettingsFile, store: Pick<Store, 'integrations' | 'contentProfiles'>, log: Logger): Promise<number> {
  let moved = 0
  for (const { key, schema } of MOVES) {
    const entries = file.get(key)
    if (entries === undefined) continue
    const list = Array.isArray(entries) ? entries : [entries]
    const unreadable: unknown[] = []
    for (const entry of list) {
      const parsed = schema.safeParse(entry)
      if (!parsed.success) {
        unreadable.push(entry)
        continue
      }
      if (key === 'integrations') {
        const integration = parsed.data as StoredIntegration
        // Already moved by an earlier start that stopped before clearing the file: left as stored.
        if (!(await store.integrations.get(integration.id))) await store.integrations.put(integration)
      } else {
        const profile = parsed.data as StoredContentProfile
        if (!(await store.contentProfiles.get(profile.id))) await store.contentProfiles.put(profile)
      }
      moved++
    }
    if (unreadable.length) {
      const kept = file.get(`${key}Unreadable`)
      await file.set(`${key}Unreadable`, [...(Array.isArray(kept) ? kept : []), ...unreadable])
      log.warn(`some ${key} in config.json could not be read; they are kept there as ${key}Unreadable`, { count: unreadable.length })
    }
    await file.delete(key)
  }
  if (moved) log.info('integrations and content profiles moved from config.json into the store', { count: moved })
  return moved
}
