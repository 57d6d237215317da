import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import { createPreferences as preferencesOf, DEFAULT_PREFERENCES, settingsFileSlot } from '../../../src-main/core/settings/preferences.ts'
import type { SettingsFile } from '../../../src-main/core/settings/settingsFile.ts'
import {
  createMemorySettingsFile,
  quarantineCorruptJson,
  SETTINGS_FILE_NAME,
} from '../../../src-main/core/settings/settingsFile.ts'
import { detectMode } from '../../../src-main/core/app/mode.ts'

const openConf = (cwd: string) => new Conf({ cwd, configName: SETTINGS_FILE_NAME, projectName: 'parley' })
const createPreferences = (file: SettingsFile) => preferencesOf(settingsFileSlot(file))

describe('preferences', () => {
  it('start as English with the system theme', async () => {
    expect(await createPreferences(createMemorySettingsFile()).get()).toEqual(DEFAULT_PREFERENCES)
    expect(DEFAULT_PREFERENCES).toEqual({ language: 'en', theme: 'system' })
  })

  it('are written to config.json on disk and read back by a new process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-prefs-'))
    await createPreferences(openConf(dir)).set({ language: 'de' })
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ preferences: { language: 'de', theme: 'system' } })
    expect(await createPreferences(openConf(dir)).get()).toEqual({ language: 'de', theme: 'system' })
  })

  it('fall back per field when the file was edited into something invalid', async () => {
    const file = createMemorySettingsFile({ preferences: { language: 'fr', theme: 'dark' } })
    expect(await createPreferences(file).get()).toEqual({ language: 'en', theme: 'dark' })
    expect(await createPreferences(createMemorySettingsFile({ preferences: 'nonsense' })).get()).toEqual(DEFAULT_PREFERENCES)
  })

  it('keep what was not changed', async () => {
    const preferences = createPreferences(createMemorySettingsFile())
    await preferences.set({ theme: 'dark' })
    expect(await preferences.set({ language: 'de' })).toEqual({ language: 'de', theme: 'dark' })
  })
})

describe('a settings file that is not JSON', () => {
  it('is moved aside with its content intact, and Parley starts with defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-corrupt-'))
    const file = join(dir, 'config.json')
    writeFileSync(file, '{"preferences": {"language": "de"')
    const kept = quarantineCorruptJson(file, new Date('2026-11-25T10:00:00Z'))
    expect(kept).toBe(`${file}.corrupt-2026-11-25T10-00-00.000Z`)
    expect(readFileSync(kept!, 'utf8')).toBe('{"preferences": {"language": "de"')
    expect(readdirSync(dir)).toEqual(['config.json.corrupt-2026-11-25T10-00-00.000Z'])
    expect(await createPreferences(openConf(dir)).get()).toEqual(DEFAULT_PREFERENCES)
  })

  it('is left alone when it is valid, or absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-valid-'))
    expect(quarantineCorruptJson(join(dir, 'config.json'))).toBeNull()
    writeFileSync(join(dir, 'config.json'), '{}')
    expect(quarantineCorruptJson(join(dir, 'config.json'))).toBeNull()
    expect(readdirSync(dir)).toEqual(['config.json'])
  })
})

describe('the runtime mode', () => {
  it('is the sandbox until a Meta app is configured, then live', () => {
    expect(detectMode(createMemorySettingsFile())).toBe('sandbox')
    expect(detectMode(createMemorySettingsFile({ metaApp: { appId: '  ' } }))).toBe('sandbox')
    expect(detectMode(createMemorySettingsFile({ metaApp: { appId: '1234567890' } }))).toBe('live')
  })
})
