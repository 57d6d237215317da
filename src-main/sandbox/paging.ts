// Cursor pagination the way Graph does it: {data, paging:{cursors:{before,after}, next?, previous?}}.
import { graphErrors } from './errors.ts'

export interface PageRequest {
  limit?: string | undefined
  after?: string | undefined
  before?: string | undefined
}

export interface Paged<T> {
  data: T[]
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string }
}

const encode = (key: string): string => Buffer.from(`sbx:${key}`).toString('base64url')
function decode(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString()
  if (!text.startsWith('sbx:')) throw graphErrors.invalidParam('Invalid cursor')
  return text.slice(4)
}

/**
 * Slices `items` (already in response order) by cursor. `pageUrl` is the request URL: next/previous
 * links keep all its parameters (including access_token, as Meta's do) and swap the cursor.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, request: PageRequest, pageUrl: URL, defaultLimit = 25): {
  slice: T[]
  paging: (data: unknown[]) => Paged<unknown>
} {
  const limit = Math.min(Math.max(Number(request.limit ?? defaultLimit) || defaultLimit, 1), 100)
  let start = 0
  let end = items.length
  if (request.after) {
    const key = decode(request.after)
    const index = items.findIndex((item) => keyOf(item) === key)
    start = index < 0 ? items.length : index + 1
    end = Math.min(items.length, start + limit)
  } else if (request.before) {
    const key = decode(request.before)
    const index = items.findIndex((item) => keyOf(item) === key)
    end = index < 0 ? 0 : index
    start = Math.max(0, end - limit)
  } else {
    end = Math.min(items.length, limit)
  }
  const slice = items.slice(start, end)
  const paging = (data: unknown[]): Paged<unknown> => {
    const first = slice[0]
    const last = slice[slice.length - 1]
    if (first === undefined || last === undefined) return { data }
    const link = (param: 'after' | 'before', cursor: string): string => {
      const url = new URL(pageUrl)
      url.searchParams.delete('after')
      url.searchParams.delete('before')
      url.searchParams.set('limit', String(limit))
      url.searchParams.set(param, cursor)
      return url.toString()
    }
    const cursors = { before: encode(keyOf(first)), after: encode(keyOf(last)) }
    return {
      data,
      paging: {
        cursors,
        ...(end < items.length ? { next: link('after', cursors.after) } : {}),
        ...(start > 0 ? { previous: link('before', cursors.before) } : {}),
      },
    }
  }
  return { slice, paging }
}
