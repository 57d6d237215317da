// The PostgreSQL side of the store: the pool, transactions that survive a conflict with another
// node, and what a lost connection looks like to callers (`store_unreachable`, in plain words).
import pg from 'pg'
import { StoreError } from '../errors.ts'

/** Times are epoch milliseconds in BIGINT: read back as numbers, as SQLite gives them. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  },
}

export type Sql = Pick<pg.PoolClient, 'query'>

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, connectionTimeoutMillis: 10_000, keepAlive: true })
  // An idle connection the server dropped (a restart): the pool replaces it; nothing to do here.
  pool.on('error', () => {})
  return pool
}

/** Connection-level failures: the server is down, restarting, or not there at all. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'])

export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  if (code && UNREACHABLE_CODES.has(code)) return true
  return error instanceof Error && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message)
}

/** Why a connection failed, in the words an operator fixes it by; never the connection string. */
export function describeConnectionError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code
  if (code === '3D000') return 'the database does not exist (create it first, e.g. createdb parley)'
  if (code === '28P01' || code === '28000') return 'the user name or password was refused'
  if (code === 'ECONNREFUSED') return 'nothing answers at its address'
  if (code === 'ENOTFOUND') return 'its host name is unknown'
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'the database server is shutting down or starting up'
  if (isUnreachable(error)) return 'the connection failed'
  return error instanceof Error ? error.message : String(error)
}

/** In plain words, for the person and the log. */
export function unreachable(error: unknown): StoreError {
  return new StoreError('store_unreachable', `PostgreSQL cannot be reached (${describeConnectionError(error)}). Parley keeps trying; nothing was changed.`, { cause: error })
}

const RETRYABLE = new Set(['40001', '40P01'])

/**
 * Runs `fn` in one transaction on one connection. A serialization failure or deadlock with another
 * node is retried a few times; a lost connection becomes `store_unreachable`.
 */
export async function transaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw unreachable(error)
    }
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      client.release()
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      const broken = isUnreachable(error)
      client.release(broken ? (error as Error) : undefined)
      if (broken) throw unreachable(error)
      if (RETRYABLE.has((error as { code?: string }).code ?? '') && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20))
        continue
      }
      throw error
    }
  }
}

/** One statement outside a transaction; a lost connection becomes `store_unreachable`. */
export async function query<R extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values)
  } catch (error) {
    if (isUnreachable(error)) throw unreachable(error)
    throw error
  }
}

export const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505'
export const isForeignKeyViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23503'

/** The pool as a single-statement runner whose lost connections read as `store_unreachable`. */
export function direct(pool: pg.Pool): Sql {
  return { query: ((text: string, values?: unknown[]) => query(pool, text, values)) as unknown as Sql['query'] }
}
