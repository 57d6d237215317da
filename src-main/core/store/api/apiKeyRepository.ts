// I1: API keys — one implementation for both engines. A key is found by its SHA-256; each use is
// counted under the key's row lock, so the rate limit holds across nodes.
import type { KeyUse, StoredApiKey } from '../apiSchemas.ts'
import { StoredScopes } from '../apiSchemas.ts'
import type { ApiKeyRepository } from '../repositories.ts'
import { all, numberOrNull, one, run, type Unit, type UnitRunner } from '../routing/steps.ts'

interface KeyRow {
  id: string
  name: string
  prefix: string
  scopes: string
  created_by: string | null
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
  window_start: number
  window_count: number
}

const COLUMNS = 'id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at, window_start, window_count'
const toKey = (r: KeyRow): StoredApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: StoredScopes.parse(JSON.parse(r.scopes)),
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  lastUsedAt: numberOrNull(r.last_used_at),
  revokedAt: numberOrNull(r.revoked_at),
})

const WINDOW_MS = 60_000
/** Last use is written at most this often: a busy key does not rewrite its row for nothing. */
const LAST_USED_EVERY_MS = 60_000

function* readKey(id: string): Unit<StoredApiKey | null> {
  const row = yield* one<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id])
  return row ? toKey(row) : null
}

export function createApiKeyRepository(runner: UnitRunner): ApiKeyRepository {
  return {
    async create(key, keyHash) {
      return runner.run(function* () {
        yield* run(`INSERT INTO api_keys (id, name, prefix, key_hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
          key.id, key.name, key.prefix, keyHash, JSON.stringify(key.scopes), key.createdBy, key.createdAt,
        ])
        return (yield* readKey(key.id))!
      })
    },

    async list() {
      return runner.run(function* () {
        return (yield* all<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`)).map(toKey)
      })
    },

    async revoke(id, at) {
      return runner.run(function* () {
        yield* run('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?', [at, id])
        return yield* readKey(id)
      })
    },

    async use(keyHash, at, perMinute): Promise<KeyUse> {
      return runner.run(function* (): Unit<KeyUse> {
        const row = yield* one<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`, [keyHash], 'update')
        if (!row) return { ok: false, reason: 'unknown' }
        if (row.revoked_at !== null) return { ok: false, reason: 'revoked' }
        const windowStart = Number(row.window_start)
        const fresh = at - windowStart >= WINDOW_MS
        const count = fresh ? 1 : Number(row.window_count) + 1
        if (count > perMinute) return { ok: false, reason: 'rate_limited', retryAfterMs: windowStart + WINDOW_MS - at }
        const lastUsed = row.last_used_at === null || at - Number(row.last_used_at) >= LAST_USED_EVERY_MS ? at : Number(row.last_used_at)
        yield* run('UPDATE api_keys SET window_start = ?, window_count = ?, last_used_at = ? WHERE id = ?', [fresh ? at : windowStart, count, lastUsed, row.id])
        return { ok: true, key: toKey({ ...row, last_used_at: lastUsed }) }
      })
    },
  }
}
