import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../../src-main/core/app/dataDir.ts'

describe('the data directory', () => {
  it('is PARLEY_DATA_DIR when set, made absolute', () => {
    expect(resolveDataDir({ PARLEY_DATA_DIR: '/srv/parley' }, 'linux', '/home/a')).toBe('/srv/parley')
    expect(resolveDataDir({ PARLEY_DATA_DIR: 'rel/dir' }, 'linux', '/home/a')).toBe(`${process.cwd()}/rel/dir`)
  })

  it('is the OS application-data folder for "Parley", as Electron names it', () => {
    expect(resolveDataDir({}, 'linux', '/home/a')).toBe('/home/a/.config/Parley')
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/Parley')
    expect(resolveDataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/Parley')
    expect(resolveDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32', 'C:/Users/a')).toMatch(/Roaming[\\/]Parley$/)
  })
})
