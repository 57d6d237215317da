import { ParleyError } from '../contract/errors.ts'

/**
 * Why the store refused something. `store_unreadable` and `store_too_new` stop Parley from
 * starting on that file (it is left untouched); the others refuse one call and change nothing.
 */
export type StoreErrorCode =
  | 'store_unreadable'
  | 'store_too_new'
  | 'store_migration_failed'
  | 'invalid_input'
  | 'not_found'
  | 'outbox_conflict'
  /** A unique rule was broken: a username, a profile name, a page already integrated. */
  | 'conflict'
  /** PostgreSQL could not be reached (team mode); the call changed nothing and may be retried. */
  | 'store_unreachable'

export class StoreError extends ParleyError {
  declare readonly code: StoreErrorCode
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message)
    this.name = 'StoreError'
    if (options?.cause !== undefined) this.cause = options.cause
  }
}

export const isStoreError = (error: unknown, code?: StoreErrorCode): error is StoreError =>
  error instanceof StoreError && (code === undefined || error.code === code)
