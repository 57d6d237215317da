// The inbox's own data: conversations, participants, messages, the outbox and sync cursors, in
// SQLite (`inbox.sqlite` in the data directory). Start at `repositories.ts` (what may be asked),
// `schemas.ts` (what goes in and comes out) and `migrations/` (the tables). `openStore.ts` wires
// them; `database.ts` holds what is SQLite-specific.
export { openStore, type StoreOptions } from './openStore.ts'
export { moveSettingsIntoStore } from './moveSettings.ts'
export { openPostgresStore, type PostgresStoreOptions } from './postgres/openPostgresStore.ts'
export { STORE_FILE_NAME } from './database.ts'
export { StoreError, isStoreError, type StoreErrorCode } from './errors.ts'
export { CONVERSATIONS_SCOPE } from './repositories.ts'
export { CONVERSATION_STATES, DIRECTIONS, MESSAGE_KINDS, OUTBOX_STATES } from './schemas.ts'
export type * from './repositories.ts'
export type * from './schemas.ts'
export * from './integrationSchemas.ts'
export * from './peopleSchemas.ts'
export * from './serverSchemas.ts'
export * from './routingSchemas.ts'
export * from './apiSchemas.ts'
