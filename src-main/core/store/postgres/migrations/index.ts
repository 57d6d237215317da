import type { Migration } from '../../migrations/migration.ts'
import { initial } from './0001-initial.ts'
import { routing } from './0002-routing.ts'
import { api } from './0003-api.ts'

/** Every step of the team server's schema, in order; numbered apart from the SQLite steps. Add the next file here. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [initial, routing, api]
