import { initial } from './0001-initial.ts'
import { team } from './0002-team.ts'
import { routing } from './0003-routing.ts'
import { api } from './0004-api.ts'
import type { Migration } from './migration.ts'

/** Every schema step, in order. Add the next file here. */
export const MIGRATIONS: readonly Migration[] = [initial, team, routing, api]
