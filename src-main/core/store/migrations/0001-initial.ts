import type { Migration } from './migration.ts'

// Times are epoch milliseconds (INTEGER). JSON columns hold TEXT. Ids are TEXT.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    -- One thread per business account and customer, as on Instagram. Its owner is an assignment
    -- from a queue to an agent (routing, R1–R6).
    CREATE TABLE conversations (
      id TEXT PRIMARY KEY,
      integration_id TEXT NOT NULL,
      ig_account_id TEXT NOT NULL,
      customer_igsid TEXT NOT NULL,
      queue_id TEXT NOT NULL,
      assigned_agent_id TEXT,
      state TEXT NOT NULL CHECK (state IN ('open', 'ended')),
      unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
      last_customer_message_at INTEGER,
      last_activity_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (ig_account_id, customer_igsid)
    );
    -- The inbox: newest activity first, for everyone or for one agent, read in index order.
    CREATE INDEX conversations_by_activity ON conversations (last_activity_at, id);
    CREATE INDEX conversations_by_agent_activity ON conversations (assigned_agent_id, last_activity_at, id);
    CREATE INDEX conversations_by_integration ON conversations (integration_id);

    -- The User Profile API's answers. The picture's URL only, never the image.
    CREATE TABLE participants (
      ig_account_id TEXT NOT NULL,
      igsid TEXT NOT NULL,
      name TEXT,
      username TEXT,
      profile_pic_url TEXT,
      fetched_at INTEGER NOT NULL,
      PRIMARY KEY (ig_account_id, igsid)
    );

    -- Each message once, by Meta's mid. Story media never: a story mention is its kind and mid.
    CREATE TABLE messages (
      mid TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'echo')),
      kind TEXT NOT NULL,
      text TEXT,
      attachments TEXT,
      reply_to_mid TEXT,
      story_id TEXT,
      reaction TEXT,
      reaction_emoji TEXT,
      reacted_at INTEGER,
      seen_at INTEGER,
      created_at INTEGER NOT NULL,
      received_at INTEGER NOT NULL,
      withdrawn_at INTEGER
    );
    -- A thread's pages, its latest message, and "seen up to".
    CREATE INDEX messages_by_conversation_time ON messages (conversation_id, created_at, mid);

    -- Mids the customer unsent (A6), also those unsent before they arrived: they stay empty.
    CREATE TABLE withdrawn_mids (
      mid TEXT PRIMARY KEY,
      withdrawn_at INTEGER NOT NULL
    );

    -- Replies on their way out (A9, A10). The id is the client's idempotency key.
    CREATE TABLE outbox (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      text TEXT,
      attachment TEXT,
      state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'ambiguous')),
      messaging_type TEXT,
      tag TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error_code TEXT,
      last_error_message TEXT,
      sent_mid TEXT UNIQUE,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK ((text IS NULL) <> (attachment IS NULL))
    );
    CREATE INDEX outbox_by_state ON outbox (state, created_at, id);
    CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at, id);

    -- Where the poller left off (A2), per integration and scope.
    CREATE TABLE sync_cursors (
      integration_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      cursor TEXT,
      synced_at INTEGER NOT NULL,
      PRIMARY KEY (integration_id, scope)
    );
  `,
}
