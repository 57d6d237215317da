// SQLite: what the team server keeps beside the inbox — sealed secrets, shared settings, nodes.
// A workstation has the tables too (one schema), and uses none of them.
import type { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { transaction } from './database.ts'
import { StoreError } from './errors.ts'
import type { NodeRepository, SealedSecretRepository, SettingsRepository, StagedFileRepository } from './repositories.ts'
import { ids, parseInput } from './schemas.ts'
import { NodeBeat, SealedSecret, SettingKey, StagedFile, type NodeRecord } from './serverSchemas.ts'

export interface SealedRow {
  name: string
  key_id: string
  iv: string
  tag: string
  ciphertext: string
  updated_at: number
}

export const toSealed = (r: SealedRow): SealedSecret => ({ name: r.name, keyId: r.key_id, iv: r.iv, tag: r.tag, ciphertext: r.ciphertext, updatedAt: Number(r.updated_at) })
export const toNode = (r: { node_id: string; url: string; started_at: number; last_seen_at: number }): NodeRecord => ({
  nodeId: r.node_id,
  url: r.url,
  startedAt: Number(r.started_at),
  lastSeenAt: Number(r.last_seen_at),
})

const name = z.string().min(1).max(512)

export function createSealedSecretRepository({ db }: { db: DatabaseSync }): SealedSecretRepository {
  const COLUMNS = 'name, key_id, iv, tag, ciphertext, updated_at'
  const select = db.prepare(`SELECT ${COLUMNS} FROM sealed_secrets WHERE name = ?`)
  const all = db.prepare(`SELECT ${COLUMNS} FROM sealed_secrets ORDER BY name`)
  const upsert = db.prepare(`
    INSERT INTO sealed_secrets (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`)
  const remove = db.prepare('DELETE FROM sealed_secrets WHERE name = ?')
  const replace = db.prepare(`
    UPDATE sealed_secrets SET key_id = ?, iv = ?, tag = ?, ciphertext = ?, updated_at = ?
    WHERE name = ? AND key_id = ? AND updated_at = ?`)
  const leftOver = db.prepare('SELECT name FROM sealed_secrets WHERE key_id <> ? LIMIT 1')
  const write = (s: SealedSecret) => void upsert.run(s.name, s.keyId, s.iv, s.tag, s.ciphertext, s.updatedAt)
  return {
    async get(value) {
      const row = select.get(parseInput(name, value, 'sealedSecrets.get')) as SealedRow | undefined
      return row ? toSealed(row) : null
    },
    put: async (secret) => write(parseInput(SealedSecret, secret, 'sealedSecrets.put')),
    delete: async (value) => Number(remove.run(parseInput(name, value, 'sealedSecrets.delete')).changes) > 0,
    list: async () => (all.all() as unknown as SealedRow[]).map(toSealed),
    async reseal(input, keyIdInput) {
      const rows = parseInput(z.array(z.strictObject({ before: SealedSecret, after: SealedSecret })), input, 'sealedSecrets.reseal')
      const keyId = parseInput(SealedSecret.shape.keyId, keyIdInput, 'sealedSecrets.reseal: keyId')
      transaction(db, () => {
        for (const { before, after } of rows) {
          if (after.keyId !== keyId || after.name !== before.name) throw new StoreError('invalid_input', `sealedSecrets.reseal: ${before.name} is not re-sealed under ${keyId}.`)
          if (Number(replace.run(after.keyId, after.iv, after.tag, after.ciphertext, after.updatedAt, before.name, before.keyId, before.updatedAt).changes) === 0) {
            throw new StoreError('conflict', `sealedSecrets.reseal: ${before.name} changed while it was being re-sealed.`)
          }
        }
        const left = leftOver.get(keyId) as { name: string } | undefined
        if (left) throw new StoreError('conflict', `sealedSecrets.reseal: ${left.name} was saved while the others were being re-sealed.`)
      })
    },
  }
}

export function createSettingsRepository({ db }: { db: DatabaseSync }): SettingsRepository {
  const all = db.prepare('SELECT key, value FROM settings')
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  return {
    all: async () => Object.fromEntries((all.all() as { key: string; value: string }[]).map((row) => [row.key, JSON.parse(row.value)])),
    set: async (key, value) => void upsert.run(parseInput(SettingKey, key, 'settings.set: key'), JSON.stringify(value ?? null)),
  }
}

export function createNodeRepository({ db }: { db: DatabaseSync }): NodeRepository {
  const beat = db.prepare(`
    INSERT INTO nodes (node_id, url, started_at, last_seen_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (node_id) DO UPDATE SET url = excluded.url, last_seen_at = excluded.last_seen_at`)
  const alive = db.prepare('SELECT node_id, url, started_at, last_seen_at FROM nodes WHERE last_seen_at >= ? ORDER BY started_at, node_id')
  const remove = db.prepare('DELETE FROM nodes WHERE node_id = ?')
  return {
    async beat(input) {
      const b = parseInput(NodeBeat, input, 'nodes.beat')
      beat.run(b.nodeId, b.url, b.startedAt, b.at)
    },
    alive: async (since) => (alive.all(parseInput(ids.epochMs, since, 'nodes.alive')) as never[]).map(toNode),
    remove: async (nodeId) => void remove.run(parseInput(ids.id, nodeId, 'nodes.remove')),
  }
}

const stagedId = StagedFile.shape.id

export function createStagedFileRepository({ db }: { db: DatabaseSync }): StagedFileRepository {
  const insert = db.prepare('INSERT INTO staged_files (id, conversation_id, reply_id, record, bytes, staged_at) VALUES (?, ?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT record FROM staged_files WHERE id = ?')
  const content = db.prepare('SELECT bytes FROM staged_files WHERE id = ?')
  const link = db.prepare('UPDATE staged_files SET reply_id = ?, record = ? WHERE id = ?')
  const remove = db.prepare('DELETE FROM staged_files WHERE id = ?')
  const all = db.prepare('SELECT record FROM staged_files ORDER BY staged_at, id')
  const read = (id: string) => {
    const row = select.get(id) as { record: string } | undefined
    return row ? StagedFile.parse(JSON.parse(row.record)) : null
  }
  return {
    async put(input, bytes) {
      const file = parseInput(StagedFile, input, 'stagedFiles.put')
      insert.run(file.id, file.conversationId, file.replyId, JSON.stringify(file), bytes, file.stagedAt)
    },
    get: async (id) => read(parseInput(stagedId, id, 'stagedFiles.get')),
    async bytes(id) {
      const row = content.get(parseInput(stagedId, id, 'stagedFiles.bytes')) as { bytes: Uint8Array } | undefined
      return row ? Buffer.from(row.bytes) : null
    },
    async link(id, replyId) {
      const target = parseInput(stagedId, id, 'stagedFiles.link')
      const reply = replyId === null ? null : parseInput(ids.id, replyId, 'stagedFiles.link: replyId')
      return transaction(db, () => {
        const file = read(target)
        if (!file) return null
        const linked = { ...file, replyId: reply }
        link.run(reply, JSON.stringify(linked), target)
        return linked
      })
    },
    remove: async (id) => void remove.run(parseInput(stagedId, id, 'stagedFiles.remove')),
    list: async () => (all.all() as { record: string }[]).map((row) => StagedFile.parse(JSON.parse(row.record))),
  }
}
