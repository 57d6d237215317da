import type { Migration } from './migration.ts'

// What a workstation kept in config.json (integrations, content profiles) moves into the store, and
// the team server's own tables join it, so that one schema serves both. Times are epoch ms.
export const team: Migration = {
  version: 2,
  name: 'team',
  sql: `
    -- S1–S13. The record is the contract's shape as JSON; the columns are what is looked up.
    CREATE TABLE integrations (
      id TEXT PRIMARY KEY,
      page_id TEXT NOT NULL,
      ig_account_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      deleted_at TEXT,
      record TEXT NOT NULL
    );
    -- S6: one integration in use per page, whichever node saves it.
    CREATE UNIQUE INDEX integrations_page_in_use ON integrations (page_id) WHERE deleted_at IS NULL;
    CREATE INDEX integrations_by_account ON integrations (ig_account_id);

    -- S8: the supervisor's content profiles (the default one lives in code).
    CREATE TABLE content_profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      record TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX content_profiles_name ON content_profiles (lower(name));

    -- P2: people who sign in (team server). The password only as its hash.
    CREATE TABLE people (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
      message_capacity INTEGER NOT NULL CHECK (message_capacity BETWEEN 1 AND 25),
      password_hash TEXT NOT NULL,
      preferences TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL,
      deactivated_at INTEGER
    );
    CREATE UNIQUE INDEX people_username ON people (lower(username));

    -- P3: sessions by the hash of their token; the token itself is nowhere.
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
      client TEXT NOT NULL CHECK (client IN ('browser', 'desktop')),
      address TEXT,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_by_person ON sessions (person_id);
    CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

    -- P3: failed sign-ins per account and per address.
    CREATE TABLE sign_in_throttle (
      key TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      first_failure_at INTEGER NOT NULL,
      locked_until INTEGER
    );

    -- P4: secrets sealed with the server's key (never in clear).
    CREATE TABLE sealed_secrets (
      name TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      iv TEXT NOT NULL,
      tag TEXT NOT NULL,
      ciphertext TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );

    -- The team server's shared settings, as JSON values.
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    -- Team nodes alive, by heartbeat.
    CREATE TABLE nodes (
      node_id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    );

    -- Files attached to replies on a team server (A4): in the database, for every node.
    CREATE TABLE staged_files (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      reply_id TEXT,
      record TEXT NOT NULL,
      bytes BLOB NOT NULL,
      staged_at INTEGER NOT NULL
    );

    -- Which node claimed a reply, so that another can tell when it died mid-send.
    ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  `,
}
