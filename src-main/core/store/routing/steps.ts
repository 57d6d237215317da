// Routing's units of work are written once for both engines. A unit is a generator that yields the
// SQL it needs (`?` marks) and receives each answer; a runner executes it inside one transaction:
// synchronously on SQLite (BEGIN IMMEDIATE — the one writer), with row locks on PostgreSQL (the
// `lock` of a read becomes FOR UPDATE, or FOR UPDATE SKIP LOCKED). A PostgreSQL transaction that
// meets a serialization failure or deadlock is run again from the start, so a unit must not act
// outside the database.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type pg from 'pg'
import { transaction as sqliteTransaction } from '../database.ts'
import { transaction as postgresTransaction } from '../postgres/database.ts'

export type Lock = 'update' | 'skip locked'
export type SqlValue = string | number | null

export type SqlCommand =
  | { mode: 'all'; sql: string; params: SqlValue[]; lock?: Lock }
  | { mode: 'run'; sql: string; params: SqlValue[] }

/** A unit of work: yields SQL, returns its result. */
export type Unit<T> = Generator<SqlCommand, T, unknown>

/** Rows of a read; `lock` takes row locks on PostgreSQL (on SQLite the transaction already excludes every other writer). */
export function* all<R>(sql: string, params: SqlValue[] = [], lock?: Lock): Unit<R[]> {
  return (yield { mode: 'all', sql, params, lock }) as R[]
}

export function* one<R>(sql: string, params: SqlValue[] = [], lock?: Lock): Unit<R | null> {
  return (yield* all<R>(sql, params, lock))[0] ?? null
}

/** A write; returns how many rows it changed. */
export function* run(sql: string, params: SqlValue[] = []): Unit<number> {
  return (yield { mode: 'run', sql, params }) as number
}

/** A nullable BIGINT column (PostgreSQL returns it as text) as a number, null kept. */
export const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value))

/** Runs units of work against one store. */
export interface UnitRunner {
  run<T>(unit: () => Unit<T>): Promise<T>
}

export function sqliteRunner(db: DatabaseSync): UnitRunner {
  const statements = new Map<string, StatementSync>()
  const prepared = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) statements.set(sql, (statement = db.prepare(sql)))
    return statement
  }
  const execute = (command: SqlCommand): unknown => {
    const params = command.params as SQLInputValue[]
    return command.mode === 'all' ? prepared(command.sql).all(...params) : Number(prepared(command.sql).run(...params).changes)
  }
  return {
    async run(unit) {
      return sqliteTransaction(db, () => {
        const steps = unit()
        let step = steps.next()
        while (!step.done) step = steps.next(execute(step.value))
        return step.value
      })
    },
  }
}

const numbered = new Map<string, string>()
/** `?` → `$1, $2, …` (routing SQL never has a `?` inside a literal). */
function postgresText(command: SqlCommand): string {
  const key = command.mode === 'all' && command.lock ? `${command.sql}\u0000${command.lock}` : command.sql
  let text = numbered.get(key)
  if (!text) {
    let n = 0
    text = command.sql.replace(/\?/g, () => `$${++n}`)
    if (command.mode === 'all' && command.lock) text += command.lock === 'update' ? ' FOR UPDATE' : ' FOR UPDATE SKIP LOCKED'
    numbered.set(key, text)
  }
  return text
}

export function postgresRunner(pool: pg.Pool): UnitRunner {
  return {
    run(unit) {
      return postgresTransaction(pool, async (sql) => {
        const steps = unit()
        let step = steps.next()
        while (!step.done) {
          const result = await sql.query(postgresText(step.value), step.value.params)
          step = steps.next(step.value.mode === 'all' ? result.rows : (result.rowCount ?? 0))
        }
        return step.value
      })
    },
  }
}
