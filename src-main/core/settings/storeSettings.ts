import type { SettingsRepository } from '../store/index.ts'
import type { SettingsFile } from './settingsFile.ts'

/**
 * The team server's shared settings (the Meta app's id, the webhook address) as a SettingsFile:
 * kept in the database, read from memory. A write is awaited before the command answers; every
 * node reads them again when one changes them (`refresh`, on the cluster's `settings.changed`).
 */
export async function createStoreSettings(repository: SettingsRepository): Promise<SettingsFile & { refresh(): Promise<void> }> {
  let values: Record<string, unknown> = {}
  const refresh = async () => {
    values = await repository.all()
  }
  await refresh()
  return {
    get: (key) => structuredClone(values[key]),
    async set(key, value) {
      await repository.set(key, value)
      values = { ...values, [key]: structuredClone(value) }
    },
    async delete(key) {
      await repository.set(key, null)
      values = { ...values, [key]: null }
    },
    refresh,
  }
}
