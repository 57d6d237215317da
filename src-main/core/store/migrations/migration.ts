/**
 * One step of the schema. Numbered files (`0001-initial.ts`, `0002-…`) each export one; a step is
 * never edited once released — a change is a new step. Plain SQL so that the PostgreSQL schema of
 * team mode can follow the same steps.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}
