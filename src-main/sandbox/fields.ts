// The `?fields=` parser: "id,name,instagram_business_account{id,username},messages.limit(5){message}".
import { GraphError } from './errors.ts'

export interface FieldNode {
  name: string
  /** Modifiers such as .limit(5) → { limit: "5" }. */
  args: Record<string, string>
  /** Nested selection in braces; undefined when none was given (the node's default fields apply). */
  children?: FieldNode[]
}

function syntaxError(expected: string, at: number, text: string): GraphError {
  const found = text[at] === undefined ? 'end of string' : `"${text[at]}"`
  return new GraphError({ message: `Syntax error "Expected ${expected} instead of ${found}." at character ${at}: ${text}`, code: 2500 })
}

export function parseFields(text: string): FieldNode[] {
  let pos = 0
  const name = (): string => {
    const match = /^[A-Za-z0-9_]+/.exec(text.slice(pos))
    if (!match) throw syntaxError('field name', pos, text)
    pos += match[0].length
    return match[0]
  }
  const list = (): FieldNode[] => {
    const nodes: FieldNode[] = []
    for (;;) {
      while (text[pos] === ' ') pos++
      const node: FieldNode = { name: name(), args: {} }
      while (text[pos] === '.') {
        pos++
        const arg = name()
        if (text[pos] !== '(') throw syntaxError('"("', pos, text)
        const close = text.indexOf(')', pos)
        if (close < 0) throw syntaxError('")"', text.length, text)
        node.args[arg] = text.slice(pos + 1, close)
        pos = close + 1
      }
      if (text[pos] === '{') {
        pos++
        node.children = list()
        if (text[pos] !== '}') throw syntaxError('"}"', pos, text)
        pos++
      }
      nodes.push(node)
      while (text[pos] === ' ') pos++
      if (text[pos] !== ',') return nodes
      pos++
    }
  }
  const nodes = list()
  if (pos !== text.length) throw syntaxError('end of string', pos, text)
  return nodes
}

/** A node's field resolvers; a resolver returning undefined leaves the field out (as Meta does for absent links). */
export interface NodeType<T> {
  name: string
  defaults: string[]
  fields: Record<string, (item: T, node: FieldNode) => unknown>
}

export function fieldsFromDefaults(names: string[]): FieldNode[] {
  return names.map((name) => ({ name, args: {} }))
}

/** Renders one object: the requested fields (or the type's defaults), always including id when the type has one. */
export async function render<T>(type: NodeType<T>, item: T, requested: FieldNode[] | undefined): Promise<Record<string, unknown>> {
  const selection = requested ?? fieldsFromDefaults(type.defaults)
  const out: Record<string, unknown> = {}
  for (const node of selection) {
    const resolver = type.fields[node.name]
    if (!resolver) throw new GraphError({ message: `(#100) Tried accessing nonexisting field (${node.name}) on node type (${type.name})`, code: 100 })
    const value = await resolver(item, node)
    if (value !== undefined) out[node.name] = value
  }
  // Meta always returns the id of the object it describes, last when not asked for.
  if (type.fields.id && out.id === undefined) out.id = await type.fields.id(item, { name: 'id', args: {} })
  return out
}
