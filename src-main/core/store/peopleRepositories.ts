// SQLite: people, their sessions and failed sign-ins (P2, P3).
import { randomUUID } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { transaction } from './database.ts'
import { StoreError } from './errors.ts'
import { isUniqueViolation } from './integrationRepositories.ts'
import { NewPerson, NewSession, PersonChanges, ROLES, ThrottlePolicy, type Person, type SessionRecord, type ThrottleState } from './peopleSchemas.ts'
import type { PersonRepository, SessionRepository, SignInThrottleRepository } from './repositories.ts'
import { ids, parseInput } from './schemas.ts'

export interface PersonRow {
  id: string
  username: string
  name: string
  role: Person['role']
  message_capacity: number
  preferences: string
  created_at: number
  deactivated_at: number | null
}

export const PERSON_COLUMNS = 'id, username, name, role, message_capacity, preferences, created_at, deactivated_at'

export const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  messageCapacity: Number(r.message_capacity),
  preferences: typeof r.preferences === 'string' ? (JSON.parse(r.preferences) as Record<string, unknown>) : r.preferences,
  active: r.deactivated_at === null,
  createdAt: Number(r.created_at),
  deactivatedAt: r.deactivated_at === null ? null : Number(r.deactivated_at),
})

export interface SessionRow {
  token_hash: string
  person_id: string
  client: SessionRecord['client']
  address: string | null
  created_at: number
  last_seen_at: number
}

export const toSession = (r: SessionRow): SessionRecord => ({
  tokenHash: r.token_hash,
  personId: r.person_id,
  client: r.client,
  address: r.address,
  createdAt: Number(r.created_at),
  lastSeenAt: Number(r.last_seen_at),
})

export interface ThrottleRow {
  key: string
  failures: number
  first_failure_at: number
  locked_until: number | null
}

export const toThrottle = (r: ThrottleRow): ThrottleState => ({
  key: r.key,
  failures: Number(r.failures),
  firstFailureAt: Number(r.first_failure_at),
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
})

const key = z.string().min(1).max(300)
const taken = (username: string, error: unknown) => new StoreError('conflict', `people: the username "${username}" is already taken.`, { cause: error })

export function createPersonRepository({ db }: { db: DatabaseSync }): PersonRepository {
  const byId = db.prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ?`)
  const all = db.prepare(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY lower(name), id`)
  const credentials = db.prepare(`SELECT ${PERSON_COLUMNS}, password_hash FROM people WHERE lower(username) = lower(?)`)
  const insert = db.prepare(`
    INSERT INTO people (id, username, name, role, message_capacity, password_hash, preferences, created_at, deactivated_at)
    VALUES (?, ?, ?, ?, ?, ?, '{}', ?, NULL)`)
  const change = db.prepare(`
    UPDATE people SET name = coalesce(?, name), role = coalesce(?, role), message_capacity = coalesce(?, message_capacity),
      preferences = coalesce(?, preferences) WHERE id = ?`)
  const setHash = db.prepare('UPDATE people SET password_hash = ? WHERE id = ?')
  const setDeactivated = db.prepare('UPDATE people SET deactivated_at = ? WHERE id = ?')
  const endSessions = db.prepare('DELETE FROM sessions WHERE person_id = ?')
  const countActive = db.prepare('SELECT count(*) AS n FROM people WHERE role = ? AND deactivated_at IS NULL')

  const read = (id: string) => {
    const row = byId.get(id) as PersonRow | undefined
    return row ? toPerson(row) : null
  }
  const mustRead = (id: string, what: string) => {
    const person = read(id)
    if (!person) throw new StoreError('not_found', `${what}: person ${id} does not exist.`)
    return person
  }
  const id = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: id`)

  return {
    async create(input, at) {
      const person = parseInput(NewPerson, input, 'people.create')
      const personId = person.id ?? randomUUID()
      try {
        insert.run(personId, person.username, person.name, person.role, person.messageCapacity, person.passwordHash, parseInput(ids.epochMs, at, 'people.create: at'))
      } catch (error) {
        if (isUniqueViolation(error)) throw taken(person.username, error)
        throw error
      }
      return read(personId)!
    },
    get: async (value) => read(id(value, 'people.get')),
    list: async () => (all.all() as unknown as PersonRow[]).map(toPerson),
    async credentials(username) {
      const row = credentials.get(parseInput(key, username, 'people.credentials: username')) as (PersonRow & { password_hash: string }) | undefined
      return row ? { person: toPerson(row), passwordHash: row.password_hash } : null
    },
    async update(value, input) {
      const target = id(value, 'people.update')
      const changes = parseInput(PersonChanges, input, 'people.update')
      return transaction(db, () => {
        mustRead(target, 'people.update')
        change.run(changes.name ?? null, changes.role ?? null, changes.messageCapacity ?? null, changes.preferences ? JSON.stringify(changes.preferences) : null, target)
        return read(target)!
      })
    },
    async setPasswordHash(value, hash) {
      const target = id(value, 'people.setPasswordHash')
      const parsed = parseInput(z.string().min(16).max(1024), hash, 'people.setPasswordHash: hash')
      if (Number(setHash.run(parsed, target).changes) === 0) throw new StoreError('not_found', `people.setPasswordHash: person ${target} does not exist.`)
    },
    async setDeactivated(value, at) {
      const target = id(value, 'people.setDeactivated')
      const when = at === null ? null : parseInput(ids.epochMs, at, 'people.setDeactivated: at')
      return transaction(db, () => {
        mustRead(target, 'people.setDeactivated')
        setDeactivated.run(when, target)
        if (when !== null) endSessions.run(target)
        return read(target)!
      })
    },
    countActive: async (role) => (countActive.get(parseInput(z.enum(ROLES), role, 'people.countActive')) as { n: number }).n,
  }
}

export function createSessionRepository({ db }: { db: DatabaseSync }): SessionRepository {
  const insert = db.prepare('INSERT INTO sessions (token_hash, person_id, client, address, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT token_hash, person_id, client, address, created_at, last_seen_at FROM sessions WHERE token_hash = ?')
  // Never backwards: two windows on one session may report their use out of order.
  const touch = db.prepare('UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ? AND last_seen_at >= ?')
  const person = db.prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ? AND deactivated_at IS NULL`)
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?')
  const removeFor = db.prepare('DELETE FROM sessions WHERE person_id = ?')
  const removeIdle = db.prepare('DELETE FROM sessions WHERE last_seen_at < ?')
  const hash = (value: unknown, what: string) => parseInput(NewSession.shape.tokenHash, value, `${what}: tokenHash`)

  return {
    async create(input) {
      const s = parseInput(NewSession, input, 'sessions.create')
      insert.run(s.tokenHash, s.personId, s.client, s.address, s.at, s.at)
      return toSession(select.get(s.tokenHash) as unknown as SessionRow)
    },
    async touch(value, at, idleSince) {
      const target = hash(value, 'sessions.touch')
      return transaction(db, () => {
        if (Number(touch.run(at, target, idleSince).changes) === 0) {
          remove.run(target)
          return null
        }
        const session = toSession(select.get(target) as unknown as SessionRow)
        const row = person.get(session.personId) as PersonRow | undefined
        if (!row) {
          remove.run(target)
          return null
        }
        return { session, person: toPerson(row) }
      })
    },
    delete: async (value) => Number(remove.run(hash(value, 'sessions.delete')).changes) > 0,
    deleteForPerson: async (personId) => Number(removeFor.run(parseInput(ids.id, personId, 'sessions.deleteForPerson')).changes),
    deleteIdle: async (idleSince) => Number(removeIdle.run(parseInput(ids.epochMs, idleSince, 'sessions.deleteIdle')).changes),
  }
}

/**
 * The counting rule, one statement in both engines (two nodes counting at once lose nothing): a
 * failure after the window has passed — and no lock running — starts the count again; reaching
 * `lockAfter` locks the key for `lockMs`; failures while locked do not extend the lock.
 * Parameters: key, at, lockAfter, lockMs, windowMs; `p(n)` writes the n-th placeholder.
 */
export function throttleUpsertSql(p: (n: number) => string): string {
  const [key, at, lockAfter, lockMs, windowMs] = [1, 2, 3, 4, 5].map(p)
  const old = 'sign_in_throttle'
  const locked = `coalesce(${old}.locked_until, 0) >= ${at}`
  const restarts = `(${old}.first_failure_at < ${at} - ${windowMs} AND NOT ${locked})`
  const failures = `CASE WHEN ${restarts} THEN 1 ELSE ${old}.failures + 1 END`
  return `
    INSERT INTO sign_in_throttle (key, failures, first_failure_at, locked_until)
    VALUES (${key}, 1, ${at}, CASE WHEN 1 >= ${lockAfter} THEN ${at} + ${lockMs} ELSE NULL END)
    ON CONFLICT (key) DO UPDATE SET
      failures = ${failures},
      first_failure_at = CASE WHEN ${restarts} THEN ${at} ELSE ${old}.first_failure_at END,
      locked_until = CASE WHEN ${locked} THEN ${old}.locked_until WHEN ${failures} >= ${lockAfter} THEN ${at} + ${lockMs} ELSE NULL END`
}

export function createSignInThrottleRepository({ db }: { db: DatabaseSync }): SignInThrottleRepository {
  const select = db.prepare('SELECT key, failures, first_failure_at, locked_until FROM sign_in_throttle WHERE key = ?')
  const record = db.prepare(throttleUpsertSql((n) => `?${n}`))
  const clear = db.prepare('DELETE FROM sign_in_throttle WHERE key = ?')
  const read = (k: string) => {
    const row = select.get(k) as ThrottleRow | undefined
    return row ? toThrottle(row) : null
  }
  return {
    get: async (value) => read(parseInput(key, value, 'signInThrottle.get')),
    async recordFailure(value, at, policyInput) {
      const k = parseInput(key, value, 'signInThrottle.recordFailure')
      const policy = parseInput(ThrottlePolicy, policyInput, 'signInThrottle.recordFailure: policy')
      record.run(k, parseInput(ids.epochMs, at, 'signInThrottle.recordFailure: at'), policy.lockAfter, policy.lockMs, policy.windowMs)
      return read(k)!
    },
    clear: async (value) => void clear.run(parseInput(key, value, 'signInThrottle.clear')),
  }
}
