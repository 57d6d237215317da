export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/**
 * One entry per line on stderr, so that stdout stays free for the lines tools read: JSON for
 * machines, plain words when a person watches the terminal.
 */
export function createStderrLogger(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const write = (level: string, label: string) => (message: string, fields: Record<string, unknown> = {}) => {
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
