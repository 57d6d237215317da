// A Vite plugin: the window's messages (src-renderer/src/i18n/en.ts, de.ts) compiled at build time,
// so that the window carries neither vue-i18n's message compiler nor compiles a message while it
// starts. A message with placeholders, plurals or links becomes the AST vue-i18n runs as it is; a
// plain text stays a string (vue-i18n shows a string the same, compiled or not). A message that
// does not parse fails the build.
import { baseCompile, type CompileError } from '@intlify/message-compiler'
import type { Plugin } from 'vite'

const MESSAGES = /[\\/]src-renderer[\\/]src[\\/]i18n[\\/](en|de)\.ts$/
/** Characters vue-i18n reads as syntax; a text without them is shown as it is. */
const SYNTAX = /[{}@|]/

type Tree = { [key: string]: Tree | unknown }

/** `key` names the message in all languages (`de.inbox.count`): vue-i18n caches its function under it. */
export function compileMessage(source: string, key: string): unknown {
  if (!SYNTAX.test(source)) return source
  const errors: string[] = []
  const { ast } = baseCompile(source, {
    jit: true,
    minify: true,
    location: false,
    onError: (error: CompileError) => void errors.push(error.message),
  })
  if (errors.length) throw new Error(`The message "${key}" does not parse: ${errors.join('; ')}`)
  return { ...ast, cacheKey: key }
}

export function compileMessages(tree: Tree, path = ''): Tree {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => {
      const at = path ? `${path}.${key}` : key
      if (typeof value === 'string') return [key, compileMessage(value, at)]
      if (typeof value === 'object' && value !== null) return [key, compileMessages(value as Tree, at)]
      throw new Error(`The message "${at}" is neither a text nor a group of texts.`)
    }),
  )
}

/**
 * The module the window imports: each language's messages as one JSON text. A browser reads JSON
 * far faster than the same object as script (it need not parse it as code), and the window has
 * over a hundred kilobytes of messages to read before its first frame.
 */
export function messagesModule(languages: Record<string, Tree>): string {
  return Object.entries(languages)
    .map(([name, tree]) => `export const ${name} = JSON.parse(${JSON.stringify(JSON.stringify(compileMessages(tree, name)))})`)
    .join('\n')
}

export function precompileMessages(): Plugin {
  return {
    name: 'parley:precompile-messages',
    // After TypeScript is stripped: the module is then plain JavaScript of object literals.
    enforce: 'post',
    async transform(code, id) {
      if (!MESSAGES.test(id)) return null
      const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, Tree>
      return { code: messagesModule(module), map: null }
    },
  }
}
