import type { Migration } from '../../migrations/migration.ts'
import { routingSchema } from '../../routing/schema.ts'

export const routing: Migration = { version: 2, name: 'routing', sql: routingSchema('postgres') }
