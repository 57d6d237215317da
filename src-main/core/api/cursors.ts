// I1: cursors are opaque to clients: the last item's sort keys, as base64url JSON.
import type { z } from 'zod'
import { ApiProblem } from './problems.ts'

export const encodeCursor = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw new ApiProblem(400, 'invalid_cursor', 'Invalid request', 'The cursor is not one this API gave out. Start again without it.')
  }
}
