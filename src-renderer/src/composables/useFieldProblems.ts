import { reactive } from 'vue'
import { ApiError } from '../api/index.ts'

/** A form's problems by field: the window's own checks, and main's word on a field put beside it. */
export function useFieldProblems() {
  const problems = reactive<Record<string, string>>({})
  const clear = () => {
    for (const key of Object.keys(problems)) delete problems[key]
  }
  /** Places main's refusal at the fields it names (`fieldOf` maps its paths); false when it names none. */
  const take = (error: unknown, fieldOf: (path: string) => string = (path) => path): boolean => {
    if (!(error instanceof ApiError) || !error.issues?.length) return false
    for (const issue of error.issues) problems[fieldOf(issue.path)] = issue.message
    return true
  }
  return { problems, clear, take }
}
