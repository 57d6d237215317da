import { redactValue } from '../diagnostics/redact.ts'

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/**
 * One entry per line on stderr, so that stdout stays free for the lines tools read: JSON for
 * machines, plain words when a person watches the terminal. Redacted as it is written, whoever
 * calls it: never a token, secret, URL or message text, and never a recorded payload (those are for
 * the event log, which keeps them redacted its own way for replay).
 */
export function createStderrLogger(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const write = (level: string, label: string) => (message: string, given: Record<string, unknown> = {}) => {
    const { payload: _payload, ...rest } = given
    const fields = redactValue(rest, { includeText: false }) as Record<string, unknown>
    const line = stream.isTTY
      ? `${label}: ${message}${Object.keys(fields).length ? ` (${Object.entries(fields).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})` : ''}`
      : JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })
    stream.write(`${line}\n`)
  }
  return { info: write('info', 'Note'), warn: write('warn', 'Warning'), error: write('error', 'Error') }
}

export function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) }
}
