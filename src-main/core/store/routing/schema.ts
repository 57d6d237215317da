// R1–R6: the routing tables, one text for both engines (only the integer and key types differ).
// Names and JSON lists are TEXT in both, so that the routing SQL is shared too (./steps.ts).

export function routingSchema(engine: 'sqlite' | 'postgres'): string {
  const int = engine === 'sqlite' ? 'INTEGER' : 'BIGINT'
  const serial = engine === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
  return `
    -- R1: queues. A Default queue belongs to an integration (integration_id).
    CREATE TABLE queues (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      alert_timeout_s INTEGER NOT NULL CHECK (alert_timeout_s BETWEEN 7 AND 900),
      wrap_up_codes TEXT NOT NULL DEFAULT '[]',
      after_work TEXT NOT NULL CHECK (after_work IN ('none', 'optional', 'mandatory')),
      integration_id TEXT,
      created_at ${int} NOT NULL
    );
    CREATE UNIQUE INDEX queues_name ON queues (lower(name));
    CREATE UNIQUE INDEX queues_default_for ON queues (integration_id);

    CREATE TABLE queue_members (
      queue_id TEXT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
      person_id TEXT NOT NULL,
      PRIMARY KEY (queue_id, person_id)
    );
    CREATE INDEX queue_members_by_person ON queue_members (person_id);

    -- R1: an integration's ordered rules (JSON) and its Default queue.
    CREATE TABLE routing_rules (
      integration_id TEXT PRIMARY KEY,
      default_queue_id TEXT NOT NULL REFERENCES queues (id),
      rules TEXT NOT NULL DEFAULT '[]'
    );

    -- R2: presence. idle_since orders offers (longest idle first): when the agent went on queue or
    -- was last offered a conversation, whichever is later.
    CREATE TABLE agents (
      person_id TEXT PRIMARY KEY,
      presence TEXT NOT NULL CHECK (presence IN ('on_queue', 'available', 'busy', 'away', 'break', 'offline', 'not_responding')),
      presence_since ${int} NOT NULL,
      idle_since ${int} NOT NULL,
      auto_answer INTEGER NOT NULL DEFAULT 0 CHECK (auto_answer IN (0, 1))
    );

    -- R3: a conversation offered to one agent until Accept, Decline or its timeout (any node expires it).
    CREATE TABLE alerts (
      conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
      person_id TEXT NOT NULL,
      offered_at ${int} NOT NULL,
      expires_at ${int} NOT NULL
    );
    CREATE INDEX alerts_by_expiry ON alerts (expires_at);
    CREATE INDEX alerts_by_person ON alerts (person_id);

    -- R3: who declined a conversation since it last entered its queue (they are not offered it again).
    CREATE TABLE routing_declines (
      conversation_id TEXT NOT NULL,
      person_id TEXT NOT NULL,
      PRIMARY KEY (conversation_id, person_id)
    );

    -- Every routing step, with the names as they were then ("Routed to queue Support").
    CREATE TABLE routing_events (
      id ${serial},
      conversation_id TEXT NOT NULL,
      at ${int} NOT NULL,
      kind TEXT NOT NULL,
      queue_id TEXT,
      queue_name TEXT,
      person_id TEXT,
      person_name TEXT,
      by_person_id TEXT,
      by_name TEXT,
      wrap_up_code TEXT,
      automatic INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX routing_events_by_conversation ON routing_events (conversation_id, id);

    -- A conversation's place in routing: not yet routed (routed_at NULL), waiting since, offered
    -- first to an agent (threading, transfer to a person), ended with a wrap-up code.
    ALTER TABLE conversations ADD COLUMN routed_at ${int};
    ALTER TABLE conversations ADD COLUMN waiting_since ${int};
    ALTER TABLE conversations ADD COLUMN preferred_agent_id TEXT;
    ALTER TABLE conversations ADD COLUMN ended_at ${int};
    ALTER TABLE conversations ADD COLUMN wrap_up_code TEXT;
    CREATE INDEX conversations_waiting ON conversations (waiting_since, id) WHERE state = 'open' AND assigned_agent_id IS NULL;
    CREATE INDEX conversations_unrouted ON conversations (created_at, id) WHERE routed_at IS NULL;
    CREATE INDEX conversations_preferred ON conversations (preferred_agent_id) WHERE preferred_agent_id IS NOT NULL;

    -- What was stored before routing keeps its owner: an assigned conversation is ended with its
    -- agent kept as the last one (the customer writing again returns to them, R4); an unassigned one
    -- waits in its queue.
    UPDATE conversations SET routed_at = created_at;
    UPDATE conversations SET state = 'ended', ended_at = last_activity_at WHERE state = 'open' AND assigned_agent_id IS NOT NULL;
    UPDATE conversations SET waiting_since = last_activity_at WHERE state = 'open' AND assigned_agent_id IS NULL;
  `
}
