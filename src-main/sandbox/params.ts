// Graph accepts parameters by query string, form body or JSON body, interchangeably.
// Form and query values that hold objects (recipient={"id":"…"}) arrive as JSON strings.
import type { Context } from 'hono'
import { graphErrors } from './errors.ts'
import type { PageRequest } from './paging.ts'

export class Params {
  private readonly values: Record<string, unknown>

  constructor(values: Record<string, unknown>) {
    this.values = values
  }

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== ''
  }

  string(name: string): string | undefined {
    const value = this.values[name]
    if (value === undefined || value === null) return undefined
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  required(name: string): string {
    const value = this.string(name)
    if (value === undefined || value === '') throw graphErrors.invalidParam(`The parameter ${name} is required`)
    return value
  }

  /** An object parameter: given as JSON in a JSON body, or as a JSON string in a query/form. */
  object(name: string): Record<string, unknown> | undefined {
    const value = this.values[name]
    if (value === undefined || value === '') return undefined
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
    if (typeof value === 'string') {
      try {
        const parsed: unknown = JSON.parse(value)
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
      } catch {
        // fall through to Meta's error
      }
    }
    throw graphErrors.invalidParam(`Param ${name} must be a JSON object`)
  }

  /** The cursor parameters of a list request. */
  paging(): PageRequest {
    return { limit: this.string('limit'), after: this.string('after'), before: this.string('before') }
  }

  /** A list given as "a,b,c", as a JSON array string, or as a JSON array. */
  list(name: string): string[] | undefined {
    const value = this.values[name]
    if (value === undefined || value === '') return undefined
    if (Array.isArray(value)) return value.map(String)
    const text = String(value).trim()
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text)
        if (Array.isArray(parsed)) return parsed.map(String)
      } catch {
        // treated as a comma list below
      }
    }
    return text.split(/[,\s]+/).filter((part) => part !== '')
  }
}

export async function readParams(c: Context): Promise<Params> {
  const values: Record<string, unknown> = { ...c.req.query() }
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const type = c.req.header('content-type') ?? ''
    if (type.includes('application/json')) {
      const text = await c.req.text()
      if (text.trim() !== '') {
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          throw graphErrors.invalidParam('The request body is not valid JSON')
        }
        if (typeof body === 'object' && body !== null) Object.assign(values, body)
      }
    } else if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const body = await c.req.parseBody()
      for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value
    }
  }
  return new Params(values)
}
