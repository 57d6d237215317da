import { describe, expect, it } from 'vitest'
import { commands, createDispatcher, ParleyError, type CallContext, type Handlers } from '../../../src-main/core/contract/index.ts'
import { createCoreBridge } from '../../fixtures/coreBridge.ts'

// Commands these tests do not call answer with an error, so a wrong dispatch shows.
const unused = Object.fromEntries(
  Object.keys(commands).map((name) => [
    name,
    () => {
      throw new ParleyError('unused', name)
    },
  ]),
) as unknown as Handlers

const working: Handlers = {
  ...unused,
  'app.info': () => ({ name: 'Parley', version: '1.0.0', mode: 'sandbox', dataDir: '/data' }),
  'settings.get': () => ({ language: 'en', theme: 'system' }),
  'settings.set': (patch) => ({ language: patch.language ?? 'en', theme: patch.theme ?? 'system' }),
}

const supervisor: CallContext = { actor: { personId: 'p1', name: 'Anna Berg', username: 'anna', role: 'supervisor', permissions: [] }, client: 'browser' }

describe('the contract dispatcher', () => {
  it('answers a valid command with its value', async () => {
    const dispatcher = createDispatcher(working)
    expect(await dispatcher.invoke('settings.set', { language: 'de' }, supervisor)).toEqual({ ok: true, value: { language: 'de', theme: 'system' } })
  })

  it('runs each command as the person who asks, and refuses one that names nobody where there is no default', async () => {
    const asked: string[] = []
    const handlers: Handlers = { ...working, 'app.info': (_input, { actor }) => (asked.push(actor.personId), { name: 'Parley', version: '1', mode: 'sandbox', dataDir: '' }) }
    expect(await createDispatcher(handlers).invoke('app.info', undefined)).toMatchObject({ ok: false, error: { code: 'not_signed_in' } })
    expect(asked).toEqual([])
    await createDispatcher(handlers).invoke('app.info', undefined, supervisor)
    await createDispatcher(handlers, { defaultContext: () => ({ ...supervisor, actor: { ...supervisor.actor, personId: 'local' } }) }).invoke('app.info', undefined)
    expect(asked).toEqual(['p1', 'local'])
  })

  it('names an unknown command instead of throwing', async () => {
    const reply = await createDispatcher(working).invoke('app.explode', undefined)
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_command', message: expect.stringContaining('"app.explode"') } })
  })

  it.each([null, 42, { name: 'app.info' }, ['app.info']])('refuses a command name that is not a string (%j)', async (name) => {
    expect(await createDispatcher(working).invoke(name, undefined)).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
  })

  it('does not treat inherited object keys as commands', async () => {
    expect(await createDispatcher(working).invoke('toString', undefined)).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
    expect(await createDispatcher(working).invoke('__proto__', undefined)).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
  })

  it('reports which field of the input is wrong, and never calls the handler with it', async () => {
    let called = false
    const dispatcher = createDispatcher({ ...working, 'settings.set': () => ((called = true), { language: 'en', theme: 'system' }) })
    const reply = await dispatcher.invoke('settings.set', { language: 'fr' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'language' }] } })
    expect(called).toBe(false)
  })

  it('refuses fields the command does not know', async () => {
    const reply = await createDispatcher(working).invoke('settings.set', { language: 'de', token: 'x' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('refuses input for a command that takes none', async () => {
    expect(await createDispatcher(working).invoke('app.info', { anything: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('passes a ParleyError through with its code and words', async () => {
    const dispatcher = createDispatcher({
      ...working,
      'app.info': () => {
        throw new ParleyError('keychain_locked', 'Unlock your keychain, then try again.')
      },
    })
    expect(await dispatcher.invoke('app.info', undefined, supervisor)).toEqual({
      ok: false,
      error: { code: 'keychain_locked', message: 'Unlock your keychain, then try again.' },
    })
  })

  it('hides the details of an unexpected failure from the window and hands them to the log', async () => {
    const logged: unknown[] = []
    const dispatcher = createDispatcher(
      {
        ...working,
        'settings.get': () => {
          throw new Error('disk on fire at /secret/path')
        },
      },
      { onInternalError: (command, error) => logged.push([command, (error as Error).message]) },
    )
    const reply = await dispatcher.invoke('settings.get', undefined, supervisor)
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(reply)).not.toContain('/secret/path')
    expect(logged).toEqual([['settings.get', 'disk on fire at /secret/path']])
  })

  it('strips anything a handler returns beyond the declared output, so nothing undeclared can leak', async () => {
    const leaky = {
      ...working,
      'app.info': () => ({ name: 'Parley', version: '1', mode: 'sandbox' as const, dataDir: '/d', appSecret: 'shh' }),
    }
    const reply = await createDispatcher(leaky).invoke('app.info', undefined, supervisor)
    expect(reply).toEqual({ ok: true, value: { name: 'Parley', version: '1', mode: 'sandbox', dataDir: '/d' } })
  })

  it('reports a handler whose output breaks the contract as an internal error', async () => {
    const broken = { ...working, 'settings.get': () => ({ language: 'klingon' }) as never }
    expect(await createDispatcher(broken).invoke('settings.get', undefined, supervisor)).toMatchObject({ ok: false, error: { code: 'internal' } })
  })
})

describe('the core behind the contract', () => {
  it('serves app.info, settings.get and settings.set', async () => {
    const { bridge } = await createCoreBridge()
    expect(await bridge.invoke('app.info')).toEqual({
      ok: true,
      value: { name: 'Parley', version: '9.9.9', mode: 'sandbox', dataDir: '/tmp/parley-test' },
    })
    expect(await bridge.invoke('settings.get')).toEqual({ ok: true, value: { language: 'en', theme: 'system' } })
    expect(await bridge.invoke('settings.set', { theme: 'dark' })).toEqual({ ok: true, value: { language: 'en', theme: 'dark' } })
    expect(await bridge.invoke('settings.get')).toEqual({ ok: true, value: { language: 'en', theme: 'dark' } })
  })

  it('tells every listener that Parley is stopping', async () => {
    const { bridge, parley } = await createCoreBridge()
    const seen: unknown[] = []
    bridge.on((event) => seen.push(event))
    parley.stop()
    expect(seen).toEqual([{ name: 'app.status', payload: { mode: 'sandbox', phase: 'stopping' } }])
    expect(parley.status()).toEqual({ mode: 'sandbox', phase: 'stopping' })
  })

  it('stops sending events to a listener that unsubscribed', async () => {
    const { bridge, parley } = await createCoreBridge()
    const seen: unknown[] = []
    const off = bridge.on((event) => seen.push(event))
    off()
    parley.stop()
    expect(seen).toEqual([])
  })

  it('logs an internal failure as one JSON line', async () => {
    const { bridge, settingsFile, logLines } = await createCoreBridge()
    settingsFile.set = () => {
      throw new Error('read-only file system')
    }
    expect(await bridge.invoke('settings.set', { language: 'de' })).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(logLines).toHaveLength(1)
    expect(JSON.parse(logLines[0]!)).toMatchObject({ level: 'error', message: 'command failed', command: 'settings.set', error: 'read-only file system' })
  })
})

describe('the log on stderr', () => {
  it('writes JSON lines for machines and plain words for a terminal', async () => {
    const { createStderrLogger } = await import('../../../src-main/core/app/logger.ts')
    const lines: string[] = []
    const sink = (isTTY: boolean) => Object.assign({ write: (chunk: string) => (lines.push(chunk), true) }, { isTTY }) as never
    createStderrLogger(sink(false)).warn('keychain did not answer', { backend: 'libsecret' })
    createStderrLogger(sink(true)).warn('keychain did not answer', { backend: 'libsecret' })
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', message: 'keychain did not answer', backend: 'libsecret' })
    expect(lines[1]).toBe('Warning: keychain did not answer (backend: libsecret)\n')
  })
})
