import type { Migration } from '../../migrations/migration.ts'
import { apiSchema } from '../../api/schema.ts'

export const api: Migration = { version: 3, name: 'api', sql: apiSchema('postgres') }
