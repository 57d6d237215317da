// PostgreSQL: integrations, content profiles, people, sessions, sign-in throttle, sealed secrets,
// shared settings and nodes — the same contract and rules as their SQLite files.
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { z } from 'zod'
import { StoreError } from '../errors.ts'
import { IntegrationChanges, StoredContentProfile, StoredIntegration } from '../integrationSchemas.ts'
import { PERSON_COLUMNS, throttleUpsertSql, toPerson, toSession, toThrottle, type PersonRow, type SessionRow, type ThrottleRow } from '../peopleRepositories.ts'
import { NewPerson, NewSession, PersonChanges, ROLES, ThrottlePolicy } from '../peopleSchemas.ts'
import type {
  ContentProfileRepository, IntegrationRepository, NodeRepository, PersonRepository, SealedSecretRepository, SessionRepository, SettingsRepository,
  SignInThrottleRepository, StagedFileRepository,
} from '../repositories.ts'
import { ids, parseInput } from '../schemas.ts'
import { toNode, toSealed, type SealedRow } from '../serverRepositories.ts'
import { NodeBeat, SealedSecret, SettingKey, StagedFile } from '../serverSchemas.ts'
import { isUniqueViolation, query, transaction, type Sql } from './database.ts'

export function createPgIntegrationRepository({ pool }: { pool: pg.Pool }): IntegrationRepository {
  const records = async (text: string, values: unknown[] = []) => (await query<{ record: unknown }>(pool, text, values)).rows.map((r) => StoredIntegration.parse(r.record))
  const write = async (sql: Sql, integration: StoredIntegration) => {
    try {
      await sql.query(
        `INSERT INTO integrations (id, page_id, ig_account_id, created_at, deleted_at, record) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET page_id = excluded.page_id, ig_account_id = excluded.ig_account_id, deleted_at = excluded.deleted_at, record = excluded.record`,
        [integration.id, integration.pageId, integration.instagram.id, integration.createdAt, integration.deletedAt, JSON.stringify(integration)],
      )
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreError('conflict', `integrations.put: page ${integration.pageId} is already used by another integration.`, { cause: error })
      throw error
    }
    return integration
  }
  return {
    list: () => records('SELECT record FROM integrations WHERE deleted_at IS NULL ORDER BY created_at, id'),
    listAll: () => records('SELECT record FROM integrations ORDER BY created_at, id'),
    get: async (id) => (await records('SELECT record FROM integrations WHERE id = $1', [parseInput(ids.id, id, 'integrations.get: id')]))[0] ?? null,
    byInstagramAccount: async (igAccountId) =>
      (await records('SELECT record FROM integrations WHERE ig_account_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1', [parseInput(ids.id, igAccountId, 'integrations.byInstagramAccount')]))[0] ?? null,
    put: (input) => transaction(pool, (sql) => write(sql, parseInput(StoredIntegration, input, 'integrations.put'))),
    async update(id, input) {
      const target = parseInput(ids.id, id, 'integrations.update: id')
      const changes = parseInput(IntegrationChanges, input, 'integrations.update')
      return transaction(pool, async (sql) => {
        const { rows } = await sql.query<{ record: unknown }>('SELECT record FROM integrations WHERE id = $1 FOR UPDATE', [target])
        if (!rows[0]) throw new StoreError('not_found', `integrations.update: integration ${target} does not exist.`)
        return write(sql, StoredIntegration.parse({ ...StoredIntegration.parse(rows[0].record), ...changes }))
      })
    },
  }
}

export function createPgContentProfileRepository({ pool, now }: { pool: pg.Pool; now: () => number }): ContentProfileRepository {
  const records = async (text: string, values: unknown[] = []) => (await query<{ record: unknown }>(pool, text, values)).rows.map((r) => StoredContentProfile.parse(r.record))
  return {
    list: () => records('SELECT record FROM content_profiles ORDER BY created_at, id'),
    get: async (id) => (await records('SELECT record FROM content_profiles WHERE id = $1', [parseInput(ids.id, id, 'contentProfiles.get: id')]))[0] ?? null,
    async put(input) {
      const profile = parseInput(StoredContentProfile, input, 'contentProfiles.put')
      try {
        await query(pool, 'INSERT INTO content_profiles (id, name, record, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name, record = excluded.record', [profile.id, profile.name, JSON.stringify(profile), now()])
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreError('conflict', `contentProfiles.put: a profile called "${profile.name}" exists.`, { cause: error })
        throw error
      }
      return profile
    },
    delete: async (id) => ((await query(pool, 'DELETE FROM content_profiles WHERE id = $1', [parseInput(ids.id, id, 'contentProfiles.delete: id')])).rowCount ?? 0) > 0,
  }
}

const key = z.string().min(1).max(300)

export function createPgPersonRepository({ pool }: { pool: pg.Pool }): PersonRepository {
  const read = async (sql: Sql, id: string) => {
    const { rows } = await sql.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = $1`, [id])
    return rows[0] ? toPerson(rows[0]) : null
  }
  const mustRead = async (sql: Sql, id: string, what: string) => {
    const person = await read(sql, id)
    if (!person) throw new StoreError('not_found', `${what}: person ${id} does not exist.`)
    return person
  }
  const id = (value: unknown, what: string) => parseInput(ids.id, value, `${what}: id`)
  return {
    async create(input, at) {
      const person = parseInput(NewPerson, input, 'people.create')
      const personId = person.id ?? randomUUID()
      try {
        const { rows } = await query<PersonRow>(
          pool,
          `INSERT INTO people (id, username, name, role, message_capacity, password_hash, preferences, created_at, deactivated_at)
           VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, NULL) RETURNING ${PERSON_COLUMNS}`,
          [personId, person.username, person.name, person.role, person.messageCapacity, person.passwordHash, parseInput(ids.epochMs, at, 'people.create: at')],
        )
        return toPerson(rows[0]!)
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreError('conflict', `people: the username "${person.username}" is already taken.`, { cause: error })
        throw error
      }
    },
    get: (value) => transaction(pool, (sql) => read(sql, id(value, 'people.get'))),
    list: async () => (await query<PersonRow>(pool, `SELECT ${PERSON_COLUMNS} FROM people ORDER BY lower(name), id`)).rows.map(toPerson),
    async credentials(username) {
      const { rows } = await query<PersonRow & { password_hash: string }>(pool, `SELECT ${PERSON_COLUMNS}, password_hash FROM people WHERE lower(username) = lower($1)`, [parseInput(key, username, 'people.credentials: username')])
      return rows[0] ? { person: toPerson(rows[0]), passwordHash: rows[0].password_hash } : null
    },
    async update(value, input) {
      const target = id(value, 'people.update')
      const changes = parseInput(PersonChanges, input, 'people.update')
      return transaction(pool, async (sql) => {
        await mustRead(sql, target, 'people.update')
        await sql.query(
          `UPDATE people SET name = coalesce($1, name), role = coalesce($2, role), message_capacity = coalesce($3, message_capacity), preferences = coalesce($4::jsonb, preferences) WHERE id = $5`,
          [changes.name ?? null, changes.role ?? null, changes.messageCapacity ?? null, changes.preferences ? JSON.stringify(changes.preferences) : null, target],
        )
        return (await read(sql, target))!
      })
    },
    async setPasswordHash(value, hash) {
      const target = id(value, 'people.setPasswordHash')
      const result = await query(pool, 'UPDATE people SET password_hash = $1 WHERE id = $2', [parseInput(z.string().min(16).max(1024), hash, 'people.setPasswordHash: hash'), target])
      if (result.rowCount === 0) throw new StoreError('not_found', `people.setPasswordHash: person ${target} does not exist.`)
    },
    async setDeactivated(value, at) {
      const target = id(value, 'people.setDeactivated')
      const when = at === null ? null : parseInput(ids.epochMs, at, 'people.setDeactivated: at')
      return transaction(pool, async (sql) => {
        await mustRead(sql, target, 'people.setDeactivated')
        await sql.query('UPDATE people SET deactivated_at = $1 WHERE id = $2', [when, target])
        if (when !== null) await sql.query('DELETE FROM sessions WHERE person_id = $1', [target])
        return (await read(sql, target))!
      })
    },
    countActive: async (role) =>
      Number((await query<{ n: number }>(pool, 'SELECT count(*) AS n FROM people WHERE role = $1 AND deactivated_at IS NULL', [parseInput(z.enum(ROLES), role, 'people.countActive')])).rows[0]!.n),
  }
}

export function createPgSessionRepository({ pool }: { pool: pg.Pool }): SessionRepository {
  const hash = (value: unknown, what: string) => parseInput(NewSession.shape.tokenHash, value, `${what}: tokenHash`)
  return {
    async create(input) {
      const s = parseInput(NewSession, input, 'sessions.create')
      const { rows } = await query<SessionRow>(
        pool,
        'INSERT INTO sessions (token_hash, person_id, client, address, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING token_hash, person_id, client, address, created_at, last_seen_at',
        [s.tokenHash, s.personId, s.client, s.address, s.at],
      )
      return toSession(rows[0]!)
    },
    async touch(value, at, idleSince) {
      const target = hash(value, 'sessions.touch')
      return transaction(pool, async (sql) => {
        // One statement: the session moves on only while it is fresh and its person active. Never backwards.
        const { rows } = await sql.query<SessionRow & PersonRow>(
          `WITH touched AS (
             UPDATE sessions s SET last_seen_at = GREATEST(s.last_seen_at, $1)
             FROM people p WHERE s.token_hash = $2 AND s.last_seen_at >= $3 AND p.id = s.person_id AND p.deactivated_at IS NULL
             RETURNING s.token_hash, s.person_id, s.client, s.address, s.created_at, s.last_seen_at)
           SELECT t.*, ${PERSON_COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')} FROM touched t JOIN people p ON p.id = t.person_id`,
          [at, target, idleSince],
        )
        if (!rows[0]) {
          await sql.query('DELETE FROM sessions WHERE token_hash = $1', [target])
          return null
        }
        return { session: toSession(rows[0]), person: toPerson(rows[0]) }
      })
    },
    delete: async (value) => ((await query(pool, 'DELETE FROM sessions WHERE token_hash = $1', [hash(value, 'sessions.delete')])).rowCount ?? 0) > 0,
    deleteForPerson: async (personId) => (await query(pool, 'DELETE FROM sessions WHERE person_id = $1', [parseInput(ids.id, personId, 'sessions.deleteForPerson')])).rowCount ?? 0,
    deleteIdle: async (idleSince) => (await query(pool, 'DELETE FROM sessions WHERE last_seen_at < $1', [parseInput(ids.epochMs, idleSince, 'sessions.deleteIdle')])).rowCount ?? 0,
  }
}

export function createPgSignInThrottleRepository({ pool }: { pool: pg.Pool }): SignInThrottleRepository {
  const select = 'SELECT key, failures, first_failure_at, locked_until FROM sign_in_throttle WHERE key = $1'
  // PostgreSQL must be told the numbers are numbers: `unknown + unknown` has no operator.
  const upsert = `${throttleUpsertSql((n) => (n === 1 ? '$1' : `$${n}::bigint`))} RETURNING key, failures, first_failure_at, locked_until`
  return {
    async get(value) {
      const { rows } = await query<ThrottleRow>(pool, select, [parseInput(key, value, 'signInThrottle.get')])
      return rows[0] ? toThrottle(rows[0]) : null
    },
    async recordFailure(value, at, policyInput) {
      const k = parseInput(key, value, 'signInThrottle.recordFailure')
      const policy = parseInput(ThrottlePolicy, policyInput, 'signInThrottle.recordFailure: policy')
      const { rows } = await query<ThrottleRow>(pool, upsert, [k, parseInput(ids.epochMs, at, 'signInThrottle.recordFailure: at'), policy.lockAfter, policy.lockMs, policy.windowMs])
      return toThrottle(rows[0]!)
    },
    clear: async (value) => void (await query(pool, 'DELETE FROM sign_in_throttle WHERE key = $1', [parseInput(key, value, 'signInThrottle.clear')])),
  }
}

const secretName = z.string().min(1).max(512)
const SEALED_COLUMNS = 'name, key_id, iv, tag, ciphertext, updated_at'

export function createPgSealedSecretRepository({ pool }: { pool: pg.Pool }): SealedSecretRepository {
  return {
    async get(value) {
      const { rows } = await query<SealedRow>(pool, `SELECT ${SEALED_COLUMNS} FROM sealed_secrets WHERE name = $1`, [parseInput(secretName, value, 'sealedSecrets.get')])
      return rows[0] ? toSealed(rows[0]) : null
    },
    async put(input) {
      const s = parseInput(SealedSecret, input, 'sealedSecrets.put')
      await query(
        pool,
        `INSERT INTO sealed_secrets (${SEALED_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
        [s.name, s.keyId, s.iv, s.tag, s.ciphertext, s.updatedAt],
      )
    },
    delete: async (value) => ((await query(pool, 'DELETE FROM sealed_secrets WHERE name = $1', [parseInput(secretName, value, 'sealedSecrets.delete')])).rowCount ?? 0) > 0,
    list: async () => (await query<SealedRow>(pool, `SELECT ${SEALED_COLUMNS} FROM sealed_secrets ORDER BY name`)).rows.map(toSealed),
    async reseal(input, keyIdInput) {
      const rows = parseInput(z.array(z.strictObject({ before: SealedSecret, after: SealedSecret })), input, 'sealedSecrets.reseal')
      const keyId = parseInput(SealedSecret.shape.keyId, keyIdInput, 'sealedSecrets.reseal: keyId')
      await transaction(pool, async (sql) => {
        for (const { before, after } of rows) {
          if (after.keyId !== keyId || after.name !== before.name) throw new StoreError('invalid_input', `sealedSecrets.reseal: ${before.name} is not re-sealed under ${keyId}.`)
          const result = await sql.query(
            'UPDATE sealed_secrets SET key_id = $1, iv = $2, tag = $3, ciphertext = $4, updated_at = $5 WHERE name = $6 AND key_id = $7 AND updated_at = $8',
            [after.keyId, after.iv, after.tag, after.ciphertext, after.updatedAt, before.name, before.keyId, before.updatedAt],
          )
          if (result.rowCount === 0) throw new StoreError('conflict', `sealedSecrets.reseal: ${before.name} changed while it was being re-sealed.`)
        }
        const { rows: left } = await sql.query<{ name: string }>('SELECT name FROM sealed_secrets WHERE key_id <> $1 LIMIT 1', [keyId])
        if (left[0]) throw new StoreError('conflict', `sealedSecrets.reseal: ${left[0].name} was saved while the others were being re-sealed.`)
      })
    },
  }
}

export function createPgSettingsRepository({ pool }: { pool: pg.Pool }): SettingsRepository {
  return {
    all: async () => Object.fromEntries((await query<{ key: string; value: unknown }>(pool, 'SELECT key, value FROM settings')).rows.map((r) => [r.key, r.value])),
    set: async (k, value) =>
      void (await query(pool, 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [parseInput(SettingKey, k, 'settings.set: key'), JSON.stringify(value ?? null)])),
  }
}

export function createPgNodeRepository({ pool }: { pool: pg.Pool }): NodeRepository {
  return {
    async beat(input) {
      const b = parseInput(NodeBeat, input, 'nodes.beat')
      await query(pool, 'INSERT INTO nodes (node_id, url, started_at, last_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT (node_id) DO UPDATE SET url = excluded.url, last_seen_at = excluded.last_seen_at', [b.nodeId, b.url, b.startedAt, b.at])
    },
    alive: async (since) => (await query<Parameters<typeof toNode>[0]>(pool, 'SELECT node_id, url, started_at, last_seen_at FROM nodes WHERE last_seen_at >= $1 ORDER BY started_at, node_id', [parseInput(ids.epochMs, since, 'nodes.alive')])).rows.map(toNode),
    remove: async (nodeId) => void (await query(pool, 'DELETE FROM nodes WHERE node_id = $1', [parseInput(ids.id, nodeId, 'nodes.remove')])),
  }
}

export function createPgStagedFileRepository({ pool }: { pool: pg.Pool }): StagedFileRepository {
  const stagedId = StagedFile.shape.id
  return {
    async put(input, bytes) {
      const file = parseInput(StagedFile, input, 'stagedFiles.put')
      await query(pool, 'INSERT INTO staged_files (id, conversation_id, reply_id, record, bytes, staged_at) VALUES ($1, $2, $3, $4, $5, $6)', [file.id, file.conversationId, file.replyId, JSON.stringify(file), bytes, file.stagedAt])
    },
    async get(id) {
      const { rows } = await query<{ record: unknown }>(pool, 'SELECT record FROM staged_files WHERE id = $1', [parseInput(stagedId, id, 'stagedFiles.get')])
      return rows[0] ? StagedFile.parse(rows[0].record) : null
    },
    async bytes(id) {
      const { rows } = await query<{ bytes: Buffer }>(pool, 'SELECT bytes FROM staged_files WHERE id = $1', [parseInput(stagedId, id, 'stagedFiles.bytes')])
      return rows[0]?.bytes ?? null
    },
    async link(id, replyId) {
      const target = parseInput(stagedId, id, 'stagedFiles.link')
      const reply = replyId === null ? null : parseInput(ids.id, replyId, 'stagedFiles.link: replyId')
      const { rows } = await query<{ record: unknown }>(
        pool,
        "UPDATE staged_files SET reply_id = $1, record = jsonb_set(record, '{replyId}', coalesce(to_jsonb($1::text), 'null'::jsonb)) WHERE id = $2 RETURNING record",
        [reply, target],
      )
      return rows[0] ? StagedFile.parse(rows[0].record) : null
    },
    remove: async (id) => void (await query(pool, 'DELETE FROM staged_files WHERE id = $1', [parseInput(stagedId, id, 'stagedFiles.remove')])),
    list: async () => (await query<{ record: unknown }>(pool, 'SELECT record FROM staged_files ORDER BY staged_at, id')).rows.map((r) => StagedFile.parse(r.record)),
  }
}
