// The one error type every Graph call throws. `message` is plain English for a supervisor or agent;
// Meta's own words, codes and trace id are kept apart for support. Nothing here may hold a token or
// the app secret: the transport redacts Meta's text before it gets here.

export type GraphErrorKind =
  | 'token_invalid'
  | 'permission'
  | 'outside_window'
  | 'recipient_unavailable'
  | 'consent_required'
  | 'no_matching_user'
  | 'invalid_parameter'
  | 'rate_limited'
  | 'temporary'
  | 'policy_blocked'
  | 'network'
  | 'unexpected_response'
  | 'not_configured'
  | 'unknown'

export interface GraphErrorInit {
  kind: GraphErrorKind
  /** Stable key per case (`token_invalid.password_changed`), translated by the UI. */
  reason: string
  /** Plain words for a person. */
  message: string
  remedy?: string | undefined
  /** e.g. `GET /me/accounts` — a path template, never a URL with parameters. */
  endpoint?: string | undefined
  httpStatus?: number | undefined
  code?: number | undefined
  subcode?: number | undefined
  fbtraceId?: string | undefined
  metaType?: string | undefined
  /** Meta's own (redacted) message, for support and the event log. */
  metaMessage?: string | undefined
  /** Meta's localized text meant for end users (`error_user_title`/`error_user_msg`), when given. */
  metaUserTitle?: string | undefined
  metaUserMessage?: string | undefined
  isTransient?: boolean | undefined
  /** How long Meta says to wait before calling again (from the usage headers). */
  retryAfterMs?: number | undefined
  /** A POST whose outcome is unknown: it may or may not have happened at Meta. Reconcile before repeating. */
  ambiguous?: boolean | undefined
  /** Trying the same call again later may succeed. */
  retryable?: boolean | undefined
}

export class GraphError extends Error {
  readonly kind: GraphErrorKind
  readonly reason: string
  readonly remedy: string | undefined
  readonly endpoint: string | undefined
  readonly httpStatus: number | undefined
  readonly code: number | undefined
  readonly subcode: number | undefined
  readonly fbtraceId: string | undefined
  readonly metaType: string | undefined
  readonly metaMessage: string | undefined
  readonly metaUserTitle: string | undefined
  readonly metaUserMessage: string | undefined
  readonly isTransient: boolean | undefined
  readonly retryAfterMs: number | undefined
  readonly ambiguous: boolean
  readonly retryable: boolean

  constructor(init: GraphErrorInit) {
    super(init.message)
    this.name = 'GraphError'
    this.kind = init.kind
    this.reason = init.reason
    this.remedy = init.remedy
    this.endpoint = init.endpoint
    this.httpStatus = init.httpStatus
    this.code = init.code
    this.subcode = init.subcode
    this.fbtraceId = init.fbtraceId
    this.metaType = init.metaType
    this.metaMessage = init.metaMessage
    this.metaUserTitle = init.metaUserTitle
    this.metaUserMessage = init.metaUserMessage
    this.isTransient = init.isTransient
    this.retryAfterMs = init.retryAfterMs
    this.ambiguous = init.ambiguous ?? false
    this.retryable = init.retryable ?? false
  }

  /** What the event log and the contract carry; `message` is not enumerable on an Error, so list it. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message }
  }
}

export function isGraphError(value: unknown): value is GraphError {
  return value instanceof GraphError
}
