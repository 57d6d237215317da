import { describe, expect, it } from 'vitest'
import { createMemorySettingsFile } from '../../../src-main/core/settings/settingsFile.ts'
import { DEFAULT_WEBHOOK_PORT, readWebhookSettings, saveWebhookSettings } from '../../../src-main/core/settings/webhookSettings.ts'

describe('the live webhook setting', () => {
  it('defaults to no address, a fixed port and loopback; hand-edited nonsense falls back to them', () => {
    expect(readWebhookSettings(createMemorySettingsFile(), {})).toEqual({
      publicUrl: null, port: DEFAULT_WEBHOOK_PORT, host: '127.0.0.1', fromEnvironment: false, environmentProblem: null,
    })
    const edited = createMemorySettingsFile({ webhook: { publicUrl: 'http://example.com', port: 22, host: 'bad host; rm' } })
    expect(readWebhookSettings(edited, {})).toMatchObject({ publicUrl: null, port: DEFAULT_WEBHOOK_PORT, host: '127.0.0.1' })
    const named = createMemorySettingsFile({ webhook: { publicUrl: 'https://parley.example.com', port: 48000, host: '0.0.0.0' } })
    expect(readWebhookSettings(named, {})).toMatchObject({ publicUrl: 'https://parley.example.com', port: 48000, host: '0.0.0.0' })
  })

  it('PARLEY_WEBHOOK_URL / _PORT win over the file, and the window cannot change them', async () => {
    const file = createMemorySettingsFile({ webhook: { publicUrl: 'https://saved.example.com', port: 48000 } })
    const env = { PARLEY_WEBHOOK_URL: 'https://managed.example.com/', PARLEY_WEBHOOK_PORT: '49000' }
    expect(readWebhookSettings(file, env)).toMatchObject({ publicUrl: 'https://managed.example.com', port: 49000, fromEnvironment: true })
    expect(readWebhookSettings(file, { PARLEY_WEBHOOK_PORT: '49001' })).toMatchObject({ publicUrl: 'https://saved.example.com', port: 49001, fromEnvironment: true })
    await expect(saveWebhookSettings(file, env, { publicUrl: null, port: 48001 })).rejects.toThrow(/PARLEY_WEBHOOK_URL/)
    expect(file.get('webhook')).toEqual({ publicUrl: 'https://saved.example.com', port: 48000 })
  })

  it('unusable environment values are named, and the saved settings apply meanwhile', () => {
    const file = createMemorySettingsFile({ webhook: { publicUrl: 'https://saved.example.com', port: 48000 } })
    const read = readWebhookSettings(file, { PARLEY_WEBHOOK_URL: 'http://public.example.com', PARLEY_WEBHOOK_PORT: 'eighty' })
    expect(read).toMatchObject({ publicUrl: 'https://saved.example.com', port: 48000, fromEnvironment: false })
    expect(read.environmentProblem).toContain('PARLEY_WEBHOOK_URL: Use an https:// address')
    expect(read.environmentProblem).toContain('PARLEY_WEBHOOK_PORT: Use a port from 1024 to 65535.')
  })

  it('saving keeps a host set by hand', () => {
    const file = createMemorySettingsFile({ webhook: { host: '192.168.1.5' } })
    saveWebhookSettings(file, {}, { publicUrl: 'https://parley.example.com', port: 48000 })
    expect(file.get('webhook')).toEqual({ host: '192.168.1.5', publicUrl: 'https://parley.example.com', port: 48000 })
  })
})
