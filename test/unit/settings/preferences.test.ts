import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { describe, expect, it } from 'vitest'
import { createPreferences, DEFAULT_PREFERENCES } from '../../../src-main/core/settings/preferences.ts'
import {
  createMemorySettingsFile,
  quarantineCorruptJson,
  SETTINGS_FILE_NAME,
} from '../../../src-main/core/settings/settingsFile.ts'
import { detectMode } from '../../../src-main/core/app/mode.ts'

const openConf = (cwd: string) => new Conf({ cwd, configName: SETTINGS_FILE_NAME, projectName: 'parley' })

describe('preferences', () => {
  it('start as English with the system theme', () => {
    expect(createPreferences(createMemorySettingsFile()).get()).toEqual(DEFAULT_PREFERENCES)
    expect(DEFAULT_PREFERENCES).toEqual({ language: 'en', theme: 'system' })
  })

  it('are written to config.json on disk and read back by a new process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-prefs-'))
    createPreferences(openConf(dir)).set({ language: 'de' })
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ preferences: { language: 'de', theme: 'system' } })
    expect(createPreferences(openConf(dir)).get()).toEqual({ language: 'de', theme: 'system' })
  })

  it('fall back per field when the file was edited into something invalid', () => {
    const file = createMemorySettingsFile({ preferences: { language: 'fr', theme: 'dark' } })
    expect(createPreferences(file).get()).toEqual({ language: 'en', theme: 'dark' })
    expect(createPreferences(createMemorySettingsFile({ preferences: 'nonsense' })).get()).toEqual(DEFAULT_PREFERENCES)
  })

  it('keep what was not changed', () => {
    const preferences = createPreferences(createMemorySettingsFile())
    preferences.set({ theme: 'dark' })
    expect(preferences.set({ language: 'de' })).toEqual({ language: 'de', theme: 'dark' })
  })
})

describe('a settings file that is not JSON', () => {
  it('is moved aside with its content intact, and Parley starts with defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-corrupt-'))
    const file = join(dir, 'config.json')
    writeFileSync(file, '{"preferences": {"language": "de"')
    const kept = quarantineCorruptJson(file, new Date('2026-11-25T10:00:00Z'))
    expect(kept).toBe(`${file}.corrupt-2026-11-25T10-00-00.000Z`)
    expect(readFileSync(kept!, 'utf8')).toBe('{"preferences": {"language": "de"')
    expect(readdirSync(dir)).toEqual(['config.json.corrupt-2026-11-25T10-00-00.000Z'])
    expect(createPreferences(openConf(dir)).get()).toEqual(DEFAULT_PREFERENCES)
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
