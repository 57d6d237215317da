import { routingSchema } from '../routing/schema.ts'
import type { Migration } from './migration.ts'

export const routing: Migration = { version: 3, name: 'routing', sql: routingSchema('sqlite') }
