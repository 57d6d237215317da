// Shapes shared by several endpoints. Responses are checked only as far as Parley relies on them;
// unknown extra fields are dropped. A response that does not fit becomes an `unexpected_response`.
import { z } from 'zod'

/** Graph ids are strings; tolerate a number, which some endpoints have been seen to return. */
export const graphId = z.union([z.string().min(1), z.number().int()]).transform(String)

/** Writes answer `{"success":true}`, a few older ones a bare `true`. */
export const success = z.union([z.literal(true), z.object({ success: z.literal(true) })])

/** One page of a list and the cursor to the next; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

function afterOf(next: string): string | null {
  try {
    return new URL(next).searchParams.get('after')
  } catch {
    return null
  }
}

/**
 * `{data:[…], paging:{cursors:{before,after}, next?}}` → `Page`. Graph signals "more" by a `next`
 * link; its `after` cursor is what Parley sends back (the link itself repeats the access token).
 */
export function paged<T extends z.ZodType>(item: T) {
  return z
    .object({
      data: z.array(item),
      paging: z
        .object({
          cursors: z.object({ after: z.string().optional() }).optional(),
          next: z.string().optional(),
        })
        .optional(),
    })
    .transform((value, ctx): Page<z.output<T>> => {
      const next = value.paging?.next
      const cursor = next ? (value.paging?.cursors?.after ?? afterOf(next)) : null
      if (next && !cursor) ctx.addIssue({ code: 'custom', path: ['paging'], message: 'a next page without an after cursor' })
      return { items: value.data, nextCursor: cursor }
    })
}
