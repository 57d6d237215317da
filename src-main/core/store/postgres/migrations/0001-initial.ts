import type { Migration } from '../../migrations/migration.ts'

// The team server's schema: the same tables as a workstation's SQLite file (see its migrations),
// in PostgreSQL's types. Times are epoch ms (BIGINT); records kept whole are JSONB.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE conversations (
      id TEXT PRIMARY KEY,
      integration_id TEXT NOT NULL,
      ig_account_id TEXT NOT NULL,
      customer_igsid TEXT NOT NULL,
      queue_id TEXT NOT NULL,
      assigned_agent_id TEXT,
      state TEXT NOT NULL CHECK (state IN ('open', 'ended')),
      unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
      last_customer_message_at BIGINT,
      last_activity_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      UNIQUE (ig_account_id, customer_igsid)
    );
    CREATE INDEX conversations_by_activity ON conversations (last_activity_at, id);
    CREATE INDEX conversations_by_agent_activity ON conversations (assigned_agent_id, last_activity_at, id);
    CREATE INDEX conversations_by_integration ON conversations (integration_id);

    CREATE TABLE participants (
      ig_account_id TEXT NOT NULL,
      igsid TEXT NOT NULL,
      name TEXT,
      username TEXT,
      profile_pic_url TEXT,
      fetched_at BIGINT NOT NULL,
      PRIMARY KEY (ig_account_id, igsid)
    );

    CREATE TABLE messages (
      mid TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'echo')),
      kind TEXT NOT NULL,
      text TEXT,
      attachments JSONB,
      reply_to_mid TEXT,
      story_id TEXT,
      reaction TEXT,
      reaction_emoji TEXT,
      reacted_at BIGINT,
      seen_at BIGINT,
      created_at BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      withdrawn_at BIGINT
    );
    CREATE INDEX messages_by_conversation_time ON messages (conversation_id, created_at, mid);

    CREATE TABLE withdrawn_mids (
      mid TEXT PRIMARY KEY,
      withdrawn_at BIGINT NOT NULL
    );

    CREATE TABLE outbox (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      text TEXT,
      attachment JSONB,
      state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'ambiguous')),
      messaging_type TEXT,
      tag TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error_code TEXT,
      last_error_message TEXT,
      sent_mid TEXT UNIQUE,
      claimed_by TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      CHECK ((text IS NULL) <> (attachment IS NULL))
    );
    CREATE INDEX outbox_by_state ON outbox (state, created_at, id);
    CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at, id);

    CREATE TABLE sync_cursors (
      integration_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      cursor TEXT,
      synced_at BIGINT NOT NULL,
      PRIMARY KEY (integration_id, scope)
    );

    CREATE TABLE integrations (
      id TEXT PRIMARY KEY,
      page_id TEXT NOT NULL,
      ig_account_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      deleted_at TEXT,
      record JSONB NOT NULL
    );
    CREATE UNIQUE INDEX integrations_page_in_use ON integrations (page_id) WHERE deleted_at IS NULL;
    CREATE INDEX integrations_by_account ON integrations (ig_account_id);

    CREATE TABLE content_profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      record JSONB NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX content_profiles_name ON content_profiles (lower(name));

    CREATE TABLE people (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
      message_capacity INTEGER NOT NULL CHECK (message_capacity BETWEEN 1 AND 25),
      password_hash TEXT NOT NULL,
      preferences JSONB NOT NULL DEFAULT '{}',
      created_at BIGINT NOT NULL,
      deactivated_at BIGINT
    );
    CREATE UNIQUE INDEX people_username ON people (lower(username));

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
      client TEXT NOT NULL CHECK (client IN ('browser', 'desktop')),
      address TEXT,
      created_at BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL
    );
    CREATE INDEX sessions_by_person ON sessions (person_id);
    CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

    CREATE TABLE sign_in_throttle (
      key TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      first_failure_at BIGINT NOT NULL,
      locked_until BIGINT
    );

    CREATE TABLE sealed_secrets (
      name TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      iv TEXT NOT NULL,
      tag TEXT NOT NULL,
      ciphertext TEXT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value JSONB NOT NULL
    );

    CREATE TABLE staged_files (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      reply_id TEXT,
      record JSONB NOT NULL,
      bytes BYTEA NOT NULL,
      staged_at BIGINT NOT NULL
    );

    CREATE TABLE nodes (
      node_id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL
    );
  `,
}
