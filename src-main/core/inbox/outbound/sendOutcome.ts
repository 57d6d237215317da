// What a failed Send API call means for the reply (A9, A10). The one question that matters: could
// Meta have received it? If maybe, it is ambiguous and reconciled before it may go out again.
import { isGraphError, type GraphError } from '../../graph/index.ts'
import type { SendProblem } from '../../store/index.ts'

export type FailedSend =
  /** Maybe delivered (timeout, dropped connection, unknown error): reconcile, never resend blindly. */
  | { outcome: 'ambiguous'; problem: SendProblem }
  /** Certainly not delivered and nothing wrong with the reply: Graph unreachable, or throttled. Wait. */
  | { outcome: 'wait'; problem: SendProblem; retryAfterMs: number | null }
  /** Meta refused it: failed, with Meta's reason; the agent can Retry (draft kept). */
  | { outcome: 'failed'; problem: SendProblem }

/** Meta's reason in plain words, with what to do, as one line for the outbox (A9). */
export function problemOf(error: GraphError): SendProblem {
  const message = error.remedy ? `${error.message} ${error.remedy}` : error.message
  return { code: error.reason, message: message.slice(0, 4096) }
}

export function classifySendFailure(error: unknown): FailedSend {
  if (!isGraphError(error)) {
    // Not a Graph answer (a bug, a keychain failure mid-call): nobody can say whether it went out.
    return { outcome: 'ambiguous', problem: { code: 'unknown', message: 'Sending was interrupted by an unexpected error; Parley checks the conversation before sending it again.' } }
  }
  if (error.kind === 'network') {
    return error.ambiguous ? { outcome: 'ambiguous', problem: problemOf(error) } : { outcome: 'wait', problem: problemOf(error), retryAfterMs: null }
  }
  // An answer Parley cannot read, or a bare 5xx from a gateway: Meta may well have taken the reply.
  if (error.kind === 'unexpected_response' || error.reason === 'temporary.server') return { outcome: 'ambiguous', problem: problemOf(error) }
  if (error.kind === 'rate_limited') return { outcome: 'wait', problem: problemOf(error), retryAfterMs: error.retryAfterMs ?? null }
  return { outcome: 'failed', problem: problemOf(error) }
}
