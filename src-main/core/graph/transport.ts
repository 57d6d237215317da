// One Graph request, end to end: URL and appsecret_proof, timeout, usage headers, Meta's error →
// GraphError, response validation, and retries where repeating is safe. Every endpoint goes through
// `call`, so these rules hold everywhere.
import type { z } from 'zod'
import { retryDelay, type RetryPolicy } from './backoff.ts'
import { GraphError } from './errors.ts'
import { classifyMetaError } from './metaErrors.ts'
import { appsecretProof } from './proof.ts'
import { reasonText, type GraphErrorReason } from './reasons.ts'
import { redact } from './redact.ts'
import { parseUsageHeaders, regainAccessMs, type GraphUsage, type UsageReading, type UsageTracker } from './usage.ts'

export type HttpMethod = 'GET' | 'POST' | 'DELETE'
export type ParamValue = string | number | boolean | undefined

export interface GraphCall<T> {
  method: HttpMethod
  /** Below the version, ids already encoded: `/me/accounts`, `/123/subscribed_apps`. */
  path: string
  /** Label for errors, without ids: `GET /{page-id}/subscribed_apps`. */
  endpoint: string
  /** Sent with its appsecret_proof, both as query parameters (as Meta's docs and Chatwoot do). */
  accessToken?: string
  query?: Record<string, ParamValue>
  /** Sent as a JSON body. */
  body?: Record<string, unknown>
  schema: z.ZodType<T>
  /** Safe to repeat automatically. Defaults to true for GET only. */
  idempotent?: boolean
}

export interface TransportOptions {
  graphBase: string
  version: string
  appSecret: () => Promise<string | null>
  fetch: typeof fetch
  sleep: (ms: number) => Promise<void>
  now: () => number
  random: () => number
  timeoutMs: number
  retry: RetryPolicy
  usage: UsageTracker
  onUsage?: ((usage: GraphUsage) => void) | undefined
  /** Whether Meta answered at all: true on any HTTP response, false when the connection failed. */
  onReachable?: ((reachable: boolean) => void) | undefined
}

export interface Transport {
  call<T>(call: GraphCall<T>): Promise<T>
  /** The app secret, or a `not_configured` GraphError. Callers keep it in a local only. */
  appSecret(endpoint: string): Promise<string>
}

// Query parameters whose values are credentials: never echoed into an error.
const SECRET_PARAMS = ['access_token', 'appsecret_proof', 'client_secret', 'fb_exchange_token', 'input_token', 'code', 'verify_token']

// Connection failures where the request certainly never reached Meta.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

export function createTransport(options: TransportOptions): Transport {
  const base = options.graphBase.replace(/\/+$/, '')

  async function appSecret(endpoint: string): Promise<string> {
    const secret = await options.appSecret()
    if (secret) return secret
    throw errorFor('not_configured.app_secret', { endpoint })
  }

  async function once<T>(call: GraphCall<T>): Promise<T> {
    const url = new URL(`${base}/${options.version}${call.path}`)
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value))
    const secrets: string[] = []
    if (call.accessToken !== undefined) {
      const secret = await appSecret(call.endpoint)
      const proof = appsecretProof(call.accessToken, secret)
      url.searchParams.set('access_token', call.accessToken)
      url.searchParams.set('appsecret_proof', proof)
      secrets.push(secret)
    }
    for (const key of SECRET_PARAMS) {
      const value = url.searchParams.get(key) ?? call.body?.[key]
      if (typeof value === 'string' && value !== '') secrets.push(value)
    }

    const signal = AbortSignal.timeout(options.timeoutMs)
    const headers: Record<string, string> = { accept: 'application/json' }
    const init: RequestInit = { method: call.method, headers, signal }
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(call.body)
    }

    let response: Response
    try {
      response = await options.fetch(url, init)
    } catch (cause) {
      options.onReachable?.(false)
      throw networkError(cause, signal, false, call)
    }
    let text: string
    try {
      text = await response.text()
    } catch (cause) {
      options.onReachable?.(false)
      throw networkError(cause, signal, true, call)
    }
    options.onReachable?.(true)

    const reading = parseUsageHeaders(response.headers)
    if (reading) {
      const usage = options.usage.record(reading, options.now())
      options.onUsage?.(usage)
    }
    return interpret(call, response.status, text, reading, secrets)
  }

  return {
    appSecret,
    async call<T>(call: GraphCall<T>): Promise<T> {
      const idempotent = call.idempotent ?? call.method === 'GET'
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(call)
        } catch (error) {
          if (!(error instanceof GraphError)) throw error
          const delay = retryDelay(error, attempt, idempotent, options.retry, options.random)
          if (delay === null) throw error
          await options.sleep(delay)
        }
      }
    },
  }
}

interface ErrorDetails {
  endpoint: string
  httpStatus?: number
  metaMessage?: string
  ambiguous?: boolean
  retryable?: boolean
}

function errorFor(reason: GraphErrorReason, details: ErrorDetails): GraphError {
  const text = reasonText(reason)
  return new GraphError({ kind: text.kind, reason, message: text.message, remedy: text.remedy, ...details })
}

function networkError(cause: unknown, signal: AbortSignal, answerStarted: boolean, call: GraphCall<unknown>): GraphError {
  const code = errorCode(cause)
  const reason: GraphErrorReason = answerStarted
    ? 'network.interrupted'
    : signal.aborted
      ? 'network.timeout'
      : code !== undefined && NOT_SENT_CODES.has(code)
        ? 'network.offline'
        : 'network.dropped'
  // Only the error's code is kept: undici's causes can carry addresses and, in theory, the URL.
  return errorFor(reason, {
    endpoint: call.endpoint,
    metaMessage: code,
    // A GET changes nothing, so its outcome never matters; anything else may have happened at Meta.
    ambiguous: call.method !== 'GET' && reason !== 'network.offline',
    retryable: true,
  })
}

function errorCode(cause: unknown): string | undefined {
  for (let e = cause, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

function interpret<T>(call: GraphCall<T>, status: number, text: string, reading: UsageReading | undefined, secrets: string[]): T {
  let body: unknown
  let isJson = true
  try {
    body = JSON.parse(text)
  } catch {
    isJson = false
  }

  const meta = isJson ? metaError(body) : undefined
  if (meta) throw fromMeta(meta, call.endpoint, status, reading, secrets)
  if (status >= 500) throw errorFor('temporary.server', { endpoint: call.endpoint, httpStatus: status, retryable: true })
  if (!isJson || status < 200 || status >= 300) {
    throw unexpectedResponse(call.endpoint, status, isJson ? `HTTP ${status} without an error object` : `HTTP ${status}, the body is not JSON`)
  }

  const parsed = call.schema.safeParse(body)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    throw unexpectedResponse(call.endpoint, status, redact(issues.join('; '), secrets))
  }
  return parsed.data
}

/** A response Parley cannot rely on, named by its endpoint (never a crash on `undefined`). */
export function unexpectedResponse(endpoint: string, status: number | undefined, detail: string): GraphError {
  const text = reasonText('unexpected_response')
  return new GraphError({
    kind: 'unexpected_response',
    reason: 'unexpected_response',
    message: `Meta’s answer to ${endpoint} is not what Parley expects.`,
    remedy: text.remedy,
    endpoint,
    httpStatus: status,
    metaMessage: detail,
  })
}

type MetaErrorBody = Record<string, unknown>

function metaError(body: unknown): MetaErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const error = (body as { error?: unknown }).error
  return typeof error === 'object' && error !== null && !Array.isArray(error) ? (error as MetaErrorBody) : undefined
}

const int = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined
}
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

function fromMeta(meta: MetaErrorBody, endpoint: string, status: number, reading: UsageReading | undefined, secrets: string[]): GraphError {
  const code = int(meta.code)
  const subcode = int(meta.error_subcode)
  const message = str(meta.message) ?? ''
  const isTransient = typeof meta.is_transient === 'boolean' ? meta.is_transient : undefined
  const reason = classifyMetaError({ code, subcode, isTransient, message })
  const text = reasonText(reason)
  const clean = (value: unknown) => {
    const s = str(value)
    return s === undefined ? undefined : redact(s, secrets)
  }
  return new GraphError({
    kind: text.kind,
    reason,
    message: text.message,
    remedy: text.remedy,
    endpoint,
    httpStatus: status,
    code,
    subcode,
    fbtraceId: str(meta.fbtrace_id),
    metaType: str(meta.type),
    metaMessage: clean(meta.message),
    metaUserTitle: clean(meta.error_user_title),
    metaUserMessage: clean(meta.error_user_msg),
    isTransient,
    retryAfterMs: text.kind === 'rate_limited' ? regainAccessMs(reading) : undefined,
    retryable: text.kind === 'temporary' || text.kind === 'rate_limited',
  })
}
