import { useI18n } from 'vue-i18n'
import type { Problem } from '../../../src-main/core/contract/index.ts'
import { ApiError } from '../api/index.ts'

export interface ProblemText {
  message: string
  remedy: string | null
}

/**
 * Words for what main reports. Error and problem codes are stable keys: a code this window knows is
 * shown in the person's language; any other falls back to the English text main sent along.
 */
export function useErrorText() {
  const { t, te } = useI18n()

  function errorText(error: unknown, params: Record<string, unknown> = {}): string {
    if (error instanceof ApiError) {
      const key = `errors.codes.${error.code}`
      // A translation with a placeholder the caller cannot fill would show "{names}": use main's text.
      const needsParams = error.code === 'profile_in_use' && !params.names
      return te(key) && !needsParams ? t(key, params) : error.message
    }
    return error instanceof Error ? error.message : String(error)
  }

  function problemText(problem: Problem): ProblemText {
    // Problem codes may be dotted ("token_invalid.password_changed"): they map onto nested keys.
    const base = `problems.${problem.code}`
    if (!/^[a-z0-9_.]+$/i.test(problem.code) || !te(`${base}.message`)) return { message: problem.message, remedy: problem.remedy }
    const params = problem.params ?? {}
    return { message: t(`${base}.message`, params), remedy: te(`${base}.remedy`) ? t(`${base}.remedy`, params) : problem.remedy }
  }

  return { errorText, problemText }
}
