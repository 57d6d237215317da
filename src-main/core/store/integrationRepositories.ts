// SQLite: integrations and content profiles (S1–S13, S8). Each record is kept whole as JSON beside
// the columns it is found by; a unique rule broken (a page in use, a profile's name) is `conflict`.
import type { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { transaction } from './database.ts'
import { StoreError } from './errors.ts'
import { IntegrationChanges, StoredContentProfile, StoredIntegration } from './integrationSchemas.ts'
import type { ContentProfileRepository, IntegrationRepository } from './repositories.ts'
import { ids, parseInput } from './schemas.ts'

export const isUniqueViolation = (error: unknown) => error instanceof Error && /UNIQUE constraint failed/i.test(error.message)

const readIntegration = (row: { record: string } | undefined) => (row ? StoredIntegration.parse(JSON.parse(row.record)) : null)

export function createIntegrationRepository({ db }: { db: DatabaseSync }): IntegrationRepository {
  const all = db.prepare('SELECT record FROM integrations ORDER BY created_at, id')
  const inUse = db.prepare('SELECT record FROM integrations WHERE deleted_at IS NULL ORDER BY created_at, id')
  const byId = db.prepare('SELECT record FROM integrations WHERE id = ?')
  const byAccount = db.prepare('SELECT record FROM integrations WHERE ig_account_id = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1')
  const upsert = db.prepare(`
    INSERT INTO integrations (id, page_id, ig_account_id, created_at, deleted_at, record) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET page_id = excluded.page_id, ig_account_id = excluded.ig_account_id, deleted_at = excluded.deleted_at, record = excluded.record`)

  const write = (integration: StoredIntegration) => {
    try {
      upsert.run(integration.id, integration.pageId, integration.instagram.id, integration.createdAt, integration.deletedAt, JSON.stringify(integration))
    } catch (error) {
      if (isUniqueViolation(error)) throw new StoreError('conflict', `integrations.put: page ${integration.pageId} is already used by another integration.`, { cause: error })
      throw error
    }
    return integration
  }

  return {
    list: async () => (inUse.all() as { record: string }[]).map((row) => readIntegration(row)!),
    listAll: async () => (all.all() as { record: string }[]).map((row) => readIntegration(row)!),
    get: async (id) => readIntegration(byId.get(parseInput(ids.id, id, 'integrations.get: id')) as { record: string } | undefined),
    byInstagramAccount: async (igAccountId) => readIntegration(byAccount.get(parseInput(ids.id, igAccountId, 'integrations.byInstagramAccount')) as { record: string } | undefined),
    async put(input) {
      return transaction(db, () => write(parseInput(StoredIntegration, input, 'integrations.put')))
    },
    async update(id, input) {
      const target = parseInput(ids.id, id, 'integrations.update: id')
      const changes = parseInput(IntegrationChanges, input, 'integrations.update')
      return transaction(db, () => {
        const current = readIntegration(byId.get(target) as { record: string } | undefined)
        if (!current) throw new StoreError('not_found', `integrations.update: integration ${target} does not exist.`)
        return write(StoredIntegration.parse({ ...current, ...changes }))
      })
    },
  }
}

const Profiles = z.array(StoredContentProfile)

export function createContentProfileRepository({ db, now }: { db: DatabaseSync; now: () => number }): ContentProfileRepository {
  const all = db.prepare('SELECT record FROM content_profiles ORDER BY created_at, id')
  const byId = db.prepare('SELECT record FROM content_profiles WHERE id = ?')
  const upsert = db.prepare(`
    INSERT INTO content_profiles (id, name, record, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, record = excluded.record`)
  const remove = db.prepare('DELETE FROM content_profiles WHERE id = ?')
  const read = (row: { record: string } | undefined) => (row ? StoredContentProfile.parse(JSON.parse(row.record)) : null)
  return {
    list: async () => Profiles.parse((all.all() as { record: string }[]).map((row) => JSON.parse(row.record))),
    get: async (id) => read(byId.get(parseInput(ids.id, id, 'contentProfiles.get: id')) as { record: string } | undefined),
    async put(input) {
      const profile = parseInput(StoredContentProfile, input, 'contentProfiles.put')
      try {
        upsert.run(profile.id, profile.name, JSON.stringify(profile), now())
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreError('conflict', `contentProfiles.put: a profile called "${profile.name}" exists.`, { cause: error })
        throw error
      }
      return profile
    },
    delete: async (id) => Number(remove.run(parseInput(ids.id, id, 'contentProfiles.delete: id')).changes) > 0,
  }
}
