import { createI18n } from 'vue-i18n'
import { describe, expect, it } from 'vitest'
import { compileMessage, compileMessages, messagesModule } from '../../../scripts/precompileMessages.ts'
import { de } from '../../../src-renderer/src/i18n/de.ts'
import { en } from '../../../src-renderer/src/i18n/en.ts'

type Tree = { [key: string]: Tree | string }

function keys(tree: Tree, path = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${path}${key}`, value] as [string, string]] : keys(value, `${path}${key}.`)))
}

/** A value for every placeholder a message names, so that each one shows in the result. */
const params = (source: string) => Object.fromEntries([...source.matchAll(/\{\s*(\w+)\s*\}/g)].map(([, name]) => [name, `«${name}»`]))

describe('messages compiled at build time', () => {
  it.each([
    ['en', en],
    ['de', de],
  ] as const)('say in %s exactly what the source messages say, for every message, with and without a count', (lang, messages) => {
    // The Node build of vue-i18n compiles strings itself: the reference the build's output must match.
    const source = createI18n({ legacy: false, locale: lang, messages: { [lang]: messages } }).global
    const compiled = createI18n({ legacy: false, locale: lang, messages: { [lang]: compileMessages(messages as Tree, lang) as never } }).global
    const all = keys(messages as Tree)
    expect(all.length).toBeGreaterThan(300)
    for (const [key, text] of all) {
      for (const count of [0, 1, 2]) {
        expect(compiled.t(key, params(text), count), `${lang}.${key}`).toBe(source.t(key, params(text), count))
      }
    }
  })

  it('give the window a module whose languages are exactly the compiled messages', async () => {
    const code = messagesModule({ en, de } as unknown as Record<string, Tree>)
    expect(code).toContain('JSON.parse(')
    const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>
    expect(module.en).toEqual(compileMessages(en as Tree, 'en'))
    expect(module.de).toEqual(compileMessages(de as Tree, 'de'))
  })

  it('leaves plain texts as they are and compiles only what vue-i18n reads as syntax', () => {
    expect(compileMessage('Skip to content', 'en.app.skipToContent')).toBe('Skip to content')
    expect(compileMessage('Version {version}', 'en.about.version')).toMatchObject({ cacheKey: 'en.about.version' })
  })

  it('fail the build for a message that does not parse, naming it', () => {
    expect(() => compileMessage('Hello {name', 'en.greeting')).toThrow(/"en\.greeting" does not parse/)
  })
})
