import type { DatabaseSync } from 'node:sqlite'
import type { CursorRepository } from './repositories.ts'
import { CursorInput, ids, parseInput, type SyncCursor } from './schemas.ts'

interface CursorRow {
  integration_id: string
  scope: string
  cursor: string | null
  synced_at: number
}

const toCursor = (r: CursorRow): SyncCursor => ({ integrationId: r.integration_id, scope: r.scope, cursor: r.cursor, syncedAt: r.synced_at })

/** Where the poller left off per integration and scope (A2), and when it last synced (S13). */
export function createCursorRepository({ db }: { db: DatabaseSync }): CursorRepository {
  const select = db.prepare('SELECT integration_id, scope, cursor, synced_at FROM sync_cursors WHERE integration_id = ? AND scope = ?')
  const all = db.prepare('SELECT integration_id, scope, cursor, synced_at FROM sync_cursors WHERE integration_id = ? ORDER BY scope')
  const upsert = db.prepare(`
    INSERT INTO sync_cursors (integration_id, scope, cursor, synced_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (integration_id, scope) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at`)
  const key = (integrationId: unknown, scope: unknown, what: string) =>
    [parseInput(ids.id, integrationId, `${what}: integrationId`), parseInput(ids.id, scope, `${what}: scope`)] as const
  const read = (integrationId: string, scope: string) => {
    const row = select.get(integrationId, scope) as CursorRow | undefined
    return row ? toCursor(row) : null
  }

  return {
    async get(integrationId, scope) {
      return read(...key(integrationId, scope, 'cursors.get'))
    },
    async set(integrationId, scope, value) {
      const [i, s] = key(integrationId, scope, 'cursors.set')
      const { cursor, syncedAt } = parseInput(CursorInput, value, 'cursors.set')
      upsert.run(i, s, cursor, syncedAt)
      return read(i, s)!
    },
    async forIntegration(integrationId) {
      const rows = all.all(parseInput(ids.id, integrationId, 'cursors.forIntegration: integrationId')) as unknown as CursorRow[]
      return rows.map(toCursor)
    },
  }
}
