// R1: what supervisors manage — queues with their members, alert timeout, wrap-up codes and
// after-conversation work, and each integration's rules — and the names a transfer can go to.
import { randomUUID } from 'node:crypto'
import { ParleyError } from '../contract/errors.ts'
import type { QueueFields, QueueView, RoutingRules, TransferTargets } from '../contract/routing.ts'
import { isStoreError, type Store, type StoredQueue } from '../store/index.ts'

export interface QueueServiceDeps {
  store: Store
  now?: () => number
  /** Integrations in use, by id (their rules may only be set while they exist). */
  integrationExists: (integrationId: string) => boolean
  /** A workstation's one person (there is no People list to pick from). */
  localAgent?: { id: string; name: string } | null
  /** After a queue was added, changed or deleted. */
  changed?: () => void
}

export const queueView = (queue: StoredQueue): QueueView => ({
  id: queue.id,
  name: queue.name,
  memberIds: queue.memberIds,
  alertTimeoutSeconds: queue.alertTimeoutSeconds,
  wrapUpCodes: queue.wrapUpCodes,
  afterWork: queue.afterWork,
  defaultFor: queue.integrationId,
})

/** A refusal of the store in the words the person acts on. */
function refused(error: unknown): never {
  if (isStoreError(error, 'conflict')) {
    const reason = error.message.replace(/^queues: /, '')
    throw new ParleyError('conflict', reason.charAt(0).toUpperCase() + reason.slice(1))
  }
  throw error
}

export function createQueueService(deps: QueueServiceDeps) {
  const { store } = deps
  const now = deps.now ?? Date.now

  async function existing(id: string): Promise<StoredQueue> {
    const queue = await store.queues.get(id)
    if (!queue) throw new ParleyError('not_found', 'That queue no longer exists.')
    return queue
  }

  async function knownMembers(memberIds: string[]): Promise<string[]> {
    const unique = [...new Set(memberIds)]
    for (const personId of unique) {
      const person = personId === deps.localAgent?.id ? deps.localAgent : await store.people.get(personId)
      if (!person) throw new ParleyError('not_found', 'One of the members no longer exists.')
    }
    return unique
  }

  return {
    list: async () => (await store.queues.list()).map(queueView),

    async create(fields: QueueFields): Promise<QueueView> {
      const queue: StoredQueue = { id: randomUUID(), ...fields, memberIds: await knownMembers(fields.memberIds), integrationId: null, createdAt: now() }
      const created = queueView(await store.queues.put(queue).catch(refused))
      deps.changed?.()
      return created
    },

    async update({ id, ...fields }: QueueFields & { id: string }): Promise<QueueView> {
      const before = await existing(id)
      const updated = queueView(await store.queues.put({ ...before, ...fields, memberIds: await knownMembers(fields.memberIds) }).catch(refused))
      deps.changed?.()
      return updated
    },

    async delete(id: string): Promise<void> {
      await existing(id)
      await store.queues.delete(id).catch(refused)
      deps.changed?.()
    },

    async rules(integrationId: string): Promise<RoutingRules> {
      if (!deps.integrationExists(integrationId)) throw new ParleyError('not_found', 'That integration no longer exists.')
      const rules = await store.queues.rules(integrationId)
      return rules ?? { integrationId, defaultQueueId: `default:${integrationId}`, rules: [] }
    },

    async setRules(rules: RoutingRules): Promise<RoutingRules> {
      if (!deps.integrationExists(rules.integrationId)) throw new ParleyError('not_found', 'That integration no longer exists.')
      try {
        return await store.queues.putRules(rules)
      } catch (error) {
        if (isStoreError(error, 'not_found')) throw new ParleyError('not_found', 'A queue these rules send to no longer exists.')
        throw error
      }
    },

    /** R5: every queue, and every active person with their presence. */
    async transferTargets(): Promise<TransferTargets> {
      const queues = (await store.queues.list()).map((q) => ({ id: q.id, name: q.name }))
      const people = deps.localAgent ? [{ id: deps.localAgent.id, name: deps.localAgent.name }] : (await store.people.list()).filter((p) => p.active)
      return {
        queues,
        people: await Promise.all(people.map(async (p) => ({ id: p.id, name: p.name, presence: (await store.routing.agent(p.id))?.presence ?? 'offline' }))),
      }
    },
  }
}

export type QueueService = ReturnType<typeof createQueueService>
