/** Codes every transport understands. Domain code adds its own through `ParleyError`. */
export type ErrorCode =
  | 'invalid_request'
  | 'unknown_command'
  | 'invalid_input'
  | 'forbidden'
  | 'internal'
  | 'disconnected'
  | (string & {})

export interface ContractError {
  code: ErrorCode
  /** Plain words for the person in front of the screen. */
  message: string
  /** For `invalid_input`: which field was wrong and why. */
  issues?: { path: string; message: string }[]
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ContractError }

/** Thrown by core services for failures the UI should show as they are. */
export class ParleyError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ParleyError'
    this.code = code
  }
}
