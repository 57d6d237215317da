import { existsSync, readFileSync, renameSync } from 'node:fs'

/**
 * The non-secret settings as core sees them. electron-store (desktop) and conf (browser host) both
 * satisfy it and write the same `config.json` in the data directory; the team server keeps its
 * shared settings in its database (storeSettings.ts), where a write is awaited.
 */
export interface SettingsFile {
  get(key: string): unknown
  set(key: string, value: unknown): void | Promise<void>
  delete(key: string): void | Promise<void>
  /** Reads them again (the team server, after another node changed them). */
  refresh?(): Promise<void>
}

export const SETTINGS_FILE_NAME = 'config'

/**
 * A settings file that is not valid JSON would make the store refuse to open. Rather than
 * crash or silently start empty, move it aside (kept for the support engineer) and say where.
 */
export function quarantineCorruptJson(filePath: string, now = new Date()): string | null {
  if (!existsSync(filePath)) return null
  try {
    JSON.parse(readFileSync(filePath, 'utf8'))
    return null
  } catch {
    const backup = `${filePath}.corrupt-${now.toISOString().replaceAll(':', '-')}`
    renameSync(filePath, backup)
    return backup
  }
}

/** A settings file held in memory, for tests and throwaway sessions. */
export function createMemorySettingsFile(initial: Record<string, unknown> = {}): SettingsFile {
  const values = new Map(Object.entries(initial))
  return {
    get: (key) => structuredClone(values.get(key)),
    set: (key, value) => void values.set(key, structuredClone(value)),
    delete: (key) => void values.delete(key),
  }
}
