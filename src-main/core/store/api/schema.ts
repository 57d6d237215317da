// I1–I2: API keys, event subscriptions and their deliveries — one text for both engines, as routing's.

export function apiSchema(engine: 'sqlite' | 'postgres'): string {
  const int = engine === 'sqlite' ? 'INTEGER' : 'BIGINT'
  const serial = engine === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
  return `
    -- I1: a key is kept only as its SHA-256; the prefix names it in lists. Its rate limit counts
    -- requests in fixed one-minute windows, in the row itself, so every node counts the same.
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prefix TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      scopes TEXT NOT NULL,
      created_by TEXT,
      created_at ${int} NOT NULL,
      last_used_at ${int},
      revoked_at ${int},
      window_start ${int} NOT NULL DEFAULT 0,
      window_count INTEGER NOT NULL DEFAULT 0
    );

    -- I2: where events go. Its signing secret is sealed with the server's key (sealed_secrets).
    CREATE TABLE event_subscriptions (
      id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      created_by TEXT,
      created_at ${int} NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      disabled_at ${int},
      disabled_reason TEXT
    );
    CREATE TABLE event_subscription_types (
      subscription_id TEXT NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      PRIMARY KEY (subscription_id, type)
    );
    CREATE INDEX event_subscription_types_by_type ON event_subscription_types (type);

    -- One row per event and subscription, written in the same transaction as the routing step it
    -- tells of (an outbox): nothing acknowledged is lost, nothing is made twice. Any node claims due
    -- rows (locked_until), so a node dying mid-delivery leaves the row to the next.
    CREATE TABLE event_deliveries (
      id ${serial},
      subscription_id TEXT NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      routing_event_id ${int} NOT NULL,
      created_at ${int} NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at ${int} NOT NULL,
      locked_until ${int},
      last_status INTEGER,
      last_error TEXT,
      finished_at ${int},
      UNIQUE (subscription_id, event_id)
    );
    CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at) WHERE state = 'pending';
    CREATE INDEX event_deliveries_by_subscription ON event_deliveries (subscription_id, id);
  `
}
