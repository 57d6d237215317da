// I1: every error of the REST API as RFC 9457 problem details.
import { ParleyError } from '../contract/errors.ts'

export class ApiProblem extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly headers: Record<string, string>

  constructor(status: number, code: string, title: string, detail?: string, headers: Record<string, string> = {}) {
    super(detail ?? title)
    this.status = status
    this.code = code
    this.title = title
    this.detail = detail
    this.headers = headers
  }
}

export const problemBody = (problem: ApiProblem, instance: string) => ({
  type: `urn:parley:problem:${problem.code}`,
  title: problem.title,
  status: problem.status,
  ...(problem.detail ? { detail: problem.detail } : {}),
  instance,
})

const STATUS_OF: Record<string, [number, string]> = {
  not_found: [404, 'Not found'],
  invalid_input: [400, 'Invalid request'],
  forbidden: [403, 'Not allowed'],
}

/** Core's refusals keep their words; anything else is an internal error that says nothing of itself. */
export function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error
  if (error instanceof ParleyError) {
    const [status, title] = STATUS_OF[error.code] ?? [409, 'Refused']
    return new ApiProblem(status, error.code, title, error.message)
  }
  return new ApiProblem(500, 'internal', 'Internal error', 'Parley could not answer this request. The server log has the details.')
}
