// R1: queues, their members and each integration's rules — one implementation for both engines.
import { ALERT_TIMEOUT } from '../../contract/routing.ts'
import { StoreError } from '../errors.ts'
import type { QueueRepository } from '../repositories.ts'
import { StoredQueue, StoredRules } from '../routingSchemas.ts'
import { ids, parseInput } from '../schemas.ts'
import { all, one, run, type Unit, type UnitRunner } from './steps.ts'

interface QueueRow {
  id: string
  name: string
  alert_timeout_s: number
  wrap_up_codes: string
  after_work: StoredQueue['afterWork']
  integration_id: string | null
  created_at: number
}

const QUEUE_COLUMNS = 'id, name, alert_timeout_s, wrap_up_codes, after_work, integration_id, created_at'

function* readQueue(id: string): Unit<StoredQueue | null> {
  const row = yield* one<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM queues WHERE id = ?`, [id])
  if (!row) return null
  const members = yield* all<{ person_id: string }>('SELECT person_id FROM queue_members WHERE queue_id = ? ORDER BY person_id', [id])
  return toQueue(row, members.map((m) => m.person_id))
}

const toQueue = (row: QueueRow, memberIds: string[]): StoredQueue => ({
  id: row.id,
  name: row.name,
  memberIds,
  alertTimeoutSeconds: Number(row.alert_timeout_s),
  wrapUpCodes: JSON.parse(row.wrap_up_codes) as string[],
  afterWork: row.after_work,
  integrationId: row.integration_id,
  createdAt: Number(row.created_at),
})

function* nameTaken(name: string, exceptId: string): Unit<boolean> {
  return (yield* one('SELECT id FROM queues WHERE lower(name) = lower(?) AND id <> ?', [name, exceptId])) !== null
}

function* writeQueue(queue: StoredQueue): Unit<void> {
  yield* run(
    `INSERT INTO queues (id, name, alert_timeout_s, wrap_up_codes, after_work, integration_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, alert_timeout_s = excluded.alert_timeout_s, wrap_up_codes = excluded.wrap_up_codes, after_work = excluded.after_work`,
    [queue.id, queue.name, queue.alertTimeoutSeconds, JSON.stringify(queue.wrapUpCodes), queue.afterWork, queue.integrationId, queue.createdAt],
  )
  yield* run('DELETE FROM queue_members WHERE queue_id = ?', [queue.id])
  for (const personId of new Set(queue.memberIds)) yield* run('INSERT INTO queue_members (queue_id, person_id) VALUES (?, ?)', [queue.id, personId])
}

const defaultQueueId = (integrationId: string) => `default:${integrationId}`

export function createQueueRepository(runner: UnitRunner): QueueRepository {
  return {
    async list() {
      return runner.run(function* () {
        const rows = yield* all<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM queues ORDER BY lower(name), id`)
        const members = yield* all<{ queue_id: string; person_id: string }>('SELECT queue_id, person_id FROM queue_members ORDER BY person_id')
        return rows.map((row) => toQueue(row, members.filter((m) => m.queue_id === row.id).map((m) => m.person_id)))
      })
    },

    async get(id) {
      const queueId = parseInput(ids.id, id, 'queues.get: id')
      return runner.run(() => readQueue(queueId))
    },

    async put(input) {
      const queue = parseInput(StoredQueue, input, 'queues.put')
      return runner.run(function* () {
        if (yield* nameTaken(queue.name, queue.id)) throw new StoreError('conflict', `queues: a queue named "${queue.name}" already exists.`)
        const existing = yield* one<{ integration_id: string | null }>('SELECT integration_id FROM queues WHERE id = ?', [queue.id])
        // Which integration a Default queue belongs to is not the caller's to change.
        yield* writeQueue({ ...queue, integrationId: existing ? existing.integration_id : queue.integrationId })
        return (yield* readQueue(queue.id))!
      })
    },

    async delete(id) {
      const queueId = parseInput(ids.id, id, 'queues.delete: id')
      return runner.run(function* () {
        const queue = yield* one<{ integration_id: string | null }>('SELECT integration_id FROM queues WHERE id = ?', [queueId], 'update')
        if (!queue) return false
        if (queue.integration_id !== null) throw new StoreError('conflict', 'queues: a Default queue stays while its integration exists.')
        const rules = yield* all<{ rules: string; default_queue_id: string }>('SELECT rules, default_queue_id FROM routing_rules')
        if (rules.some((r) => r.default_queue_id === queueId || (JSON.parse(r.rules) as { queueId: string }[]).some((rule) => rule.queueId === queueId))) {
          throw new StoreError('conflict', 'queues: a rule still sends conversations to this queue.')
        }
        if (yield* one("SELECT id FROM conversations WHERE queue_id = ? AND state = 'open'", [queueId])) {
          throw new StoreError('conflict', 'queues: conversations are still open in this queue.')
        }
        return (yield* run('DELETE FROM queues WHERE id = ?', [queueId])) > 0
      })
    },

    async ensureDefault(integrationIdInput, nameInput, at, memberIds = []) {
      const integrationId = parseInput(ids.id, integrationIdInput, 'queues.ensureDefault: integrationId')
      const id = defaultQueueId(integrationId)
      return runner.run(function* () {
        // Nodes (and a node's own start and catalog signal) may ensure the same queue at once:
        // every insert yields to the one already made instead of failing on it, and a name another
        // integration's queue took meanwhile makes it try the next one.
        while (!(yield* readQueue(id))) {
          // Named after its integration; a second integration of the same name gets "(2)".
          let name = nameInput.trim().slice(0, 90) || 'Default queue'
          for (let n = 2; yield* nameTaken(name, id); n++) name = `${nameInput.trim().slice(0, 90)} (${n})`
          yield* run(
            `INSERT INTO queues (id, name, alert_timeout_s, wrap_up_codes, after_work, integration_id, created_at) VALUES (?, ?, ?, '[]', 'optional', ?, ?)
             ON CONFLICT DO NOTHING`,
            [id, name, ALERT_TIMEOUT.default, integrationId, at],
          )
        }
        for (const personId of memberIds) yield* run('INSERT INTO queue_members (queue_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, personId])
        yield* run('INSERT INTO routing_rules (integration_id, default_queue_id, rules) VALUES (?, ?, ?) ON CONFLICT (integration_id) DO NOTHING', [integrationId, id, '[]'])
        return (yield* readQueue(id))!
      })
    },

    async rules(id) {
      const integrationId = parseInput(ids.id, id, 'queues.rules: integrationId')
      return runner.run(function* () {
        const row = yield* one<{ default_queue_id: string; rules: string }>('SELECT default_queue_id, rules FROM routing_rules WHERE integration_id = ?', [integrationId])
        return row ? { integrationId, defaultQueueId: row.default_queue_id, rules: JSON.parse(row.rules) as StoredRules['rules'] } : null
      })
    },

    async putRules(input) {
      const rules = parseInput(StoredRules, input, 'queues.putRules')
      return runner.run(function* () {
        for (const queueId of new Set([rules.defaultQueueId, ...rules.rules.map((r) => r.queueId)])) {
          if (!(yield* one('SELECT id FROM queues WHERE id = ?', [queueId]))) throw new StoreError('not_found', `queues.putRules: queue ${queueId} does not exist.`)
        }
        yield* run(
          `INSERT INTO routing_rules (integration_id, default_queue_id, rules) VALUES (?, ?, ?)
           ON CONFLICT (integration_id) DO UPDATE SET default_queue_id = excluded.default_queue_id, rules = excluded.rules`,
          [rules.integrationId, rules.defaultQueueId, JSON.stringify(rules.rules)],
        )
        return rules
      })
    },
  }
}
