// I1: API keys as supervisors manage them (Admin → People → API keys) and as requests present them.
import type { Actor } from '../contract/context.ts'
import type { ApiKeyView, ApiScope } from '../contract/api.ts'
import { ParleyError } from '../contract/errors.ts'
import { iso, isoOrNull } from '../contract/isoTime.ts'
import type { KeyUse, StoredApiKey, Store } from '../store/index.ts'
import { hashApiKey, newApiKey } from './credentials.ts'

export interface ApiKeyServiceDeps {
  store: Pick<Store, 'apiKeys' | 'people'>
  now: () => number
  newId: () => string
  /** Requests per key and minute, counted across nodes. */
  perMinute: number
  changed: () => void
}


export function createApiKeyService(deps: ApiKeyServiceDeps) {
  const names = async () => new Map((await deps.store.people.list()).map((p) => [p.id, p.name]))
  const view = (key: StoredApiKey, people: Map<string, string>): ApiKeyView => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: iso(key.createdAt),
    createdBy: key.createdBy ? (people.get(key.createdBy) ?? null) : null,
    lastUsedAt: isoOrNull(key.lastUsedAt),
    revokedAt: isoOrNull(key.revokedAt),
  })

  return {
    async list(): Promise<ApiKeyView[]> {
      const people = await names()
      return (await deps.store.apiKeys.list()).map((key) => view(key, people))
    },

    async create(actor: Actor, input: { name: string; scopes: ApiScope[] }) {
      const { secret, prefix, hash } = newApiKey()
      const scopes = [...new Set(input.scopes)]
      const key = await deps.store.apiKeys.create({ id: deps.newId(), name: input.name, prefix, scopes, createdBy: actor.personId, createdAt: deps.now(), lastUsedAt: null, revokedAt: null }, hash)
      deps.changed()
      return { key: view(key, await names()), secret }
    },

    /** At once on every node: each request looks its key up in the database. */
    async revoke(id: string): Promise<ApiKeyView> {
      const key = await deps.store.apiKeys.revoke(id, deps.now())
      if (!key) throw new ParleyError('not_found', 'There is no such API key.')
      deps.changed()
      return view(key, await names())
    },

    /** A request's `Authorization: Bearer …`: the key, or why not. */
    authenticate(secret: string): Promise<KeyUse> {
      return deps.store.apiKeys.use(hashApiKey(secret), deps.now(), deps.perMinute)
    },
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>
