// T2: the event log is redacted where it is written. Whatever a caller passes, no token, secret,
// password, URL (story media and attachments live behind URLs) or — unless the supervisor turned on
// Include message text — message text reaches the file.
import { redact as redactTokens } from '../graph/redact.ts'

const SECRET_KEY = /token|secret|password|proof|authorization|cookie|signature|credential|hash/i
/** An OAuth code is long; an error code is short and worth keeping. */
const CODE_KEY = /^(code|key)$/i
const TEXT_KEY = /^(text|body|caption|title|quick_reply|draft)$/i
const URL_KEY = /^(url|uri|src|href|link|preview_url|callbackUrl|redirect_uri|permalink)$/i
const URL_SHAPE = /\b(?:https?|wss?):\/\/[^\s"'<>]+/gi

export const REDACTED = '[redacted]'
export const TEXT_HIDDEN = '[text hidden]'
export const URL_HIDDEN = '[url]'

export interface RedactOptions {
  includeText: boolean
  /** Known secret values (the App Secret, page tokens) cut out wherever they appear. */
  secrets?: readonly string[]
}

/** A string with URLs and token shapes removed. */
export function redactString(value: string, options: RedactOptions): string {
  return redactTokens(value.replace(URL_SHAPE, URL_HIDDEN), options.secrets ?? [])
}

/** A deep copy of `value` with secrets, URLs and (unless included) message text replaced. */
export function redactValue(value: unknown, options: RedactOptions, key = '', depth = 0): unknown {
  if (depth > 12) return REDACTED
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number') return value
  if (key && SECRET_KEY.test(key)) return REDACTED
  if (typeof value === 'string') {
    if (key && CODE_KEY.test(key) && value.length > 32) return REDACTED
    if (key && URL_KEY.test(key)) return URL_HIDDEN
    if (key && TEXT_KEY.test(key) && !options.includeText) return TEXT_HIDDEN
    return redactString(value, options)
  }
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => redactValue(item, options, key, depth + 1))
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    // Story media and attachments are only ever URLs: a `url` key or any URL-shaped text goes.
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, options, k, depth + 1)
    return out
  }
  return REDACTED
}
