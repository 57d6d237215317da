import { apiSchema } from '../api/schema.ts'
import type { Migration } from './migration.ts'

export const api: Migration = { version: 4, name: 'api', sql: apiSchema('sqlite') }
