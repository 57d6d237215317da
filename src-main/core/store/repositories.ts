// The store's contract: what the inbox, routing and diagnostics may ask of it, and nothing more.
//
// Every method returns a Promise. The SQLite implementation does its work synchronously and hands
// back a settled promise; the PostgreSQL implementation that team mode adds cannot be synchronous.
// With one asynchronous contract the callers are written once, and one contract test suite runs
// against both. Each method is a whole unit of work (one transaction when it writes more than one
// row), so no transaction is ever held open across an `await`.
import type {
  Assignment, Conversation, ConversationCountOptions, ConversationListOptions, ConversationState, ConversationSummary,
  CursorInput, InboundConversation, InboundMessage, Message, MessagePageOptions, NewMessage, NewOutboxItem, OutboxItem, OutboxState, Participant,
  ParticipantInput, Reaction, SendProblem, SendWindow, SyncCursor,
} from './schemas.ts'
import type { IntegrationChanges, StoredContentProfile, StoredIntegration } from './integrationSchemas.ts'
import type { NewPerson, NewSession, Person, PersonChanges, Role, SessionRecord, ThrottlePolicy, ThrottleState } from './peopleSchemas.ts'
import type { NodeBeat, NodeRecord, SealedSecret, StagedFile } from './serverSchemas.ts'
import type { ApiConversationRow, ApiMessageRow, ApiPersonRow, AttemptOutcome, ClaimedDelivery, KeyUse, StoredApiKey, StoredDelivery, StoredSubscription } from './apiSchemas.ts'
import type { AgentState, Decision, Offer, Expired, Presence, QueueActivity, RoutingEvent, StoredAlert, StoredQueue, StoredRules, TransferTarget } from './routingSchemas.ts'

export interface ConversationRepository {
  /**
   * Finds or creates the thread of this business account and customer, for any event from Meta.
   * Reopens an ended one. Counters are not touched here: they move with the messages themselves
   * (see `MessageRepository.insertIfNew`), so a message delivered twice never counts twice.
   */
  upsertForInbound(input: InboundConversation): Promise<{ conversation: Conversation; created: boolean; reopened: boolean }>
  /** The same for a batch (one transaction), in input order. */
  upsertManyForInbound(inputs: InboundConversation[]): Promise<{ conversation: Conversation; created: boolean; reopened: boolean }[]>
  get(id: string): Promise<Conversation | null>
  /** Newest activity first (A1). */
  list(options: ConversationListOptions): Promise<ConversationSummary[]>
  count(options?: ConversationCountOptions): Promise<number>
  /** Returns false when there is no such conversation. */
  markRead(id: string): Promise<boolean>
  assign(id: string, assignment: Assignment): Promise<Conversation>
  setState(id: string, state: ConversationState): Promise<Conversation>
}

export type InsertOutcome = { inserted: true; message: Message } | { inserted: false; message: Message }
export type WithdrawOutcome = 'withdrawn' | 'already_withdrawn' | 'not_yet_received'

export interface MessageRepository {
  /**
   * Stores a message once, by `mid` (A2: webhook and poller may both deliver it). When it is new,
   * its conversation's last activity, last customer message and unread count move in the same
   * transaction. A message unsent before it arrived is stored already withdrawn, without content.
   */
  insertIfNew(message: NewMessage): Promise<InsertOutcome>
  /** A batch of messages of known conversations in one transaction. All or nothing. */
  insertMany(messages: NewMessage[]): Promise<{ inserted: number; duplicates: number }>
  /**
   * A2: a batch from Meta (a webhook payload, a poller page) as one unit of work: each message's
   * thread is found, created or reopened (`ConversationRepository.upsertForInbound`), then the
   * message is stored with its counters. A mid already stored, or earlier in the batch, is left
   * alone entirely: a repeat neither reopens an ended thread nor moves it to another integration.
   * All or nothing; `stored` in input order.
   */
  insertInbound(items: InboundMessage[]): Promise<{ stored: { mid: string; conversationId: string }[]; duplicates: number }>
  get(mid: string): Promise<Message | null>
  /** A thread page, newest first; pass the oldest message of a page as `before` for the next one. */
  page(conversationId: string, options: MessagePageOptions): Promise<Message[]>
  /**
   * A6: deletes the content (text, attachments, story and reply references), so that it is gone
   * from the database files, not hidden. Remembers the mid, so a later delivery stays empty.
   */
  withdraw(mid: string, at: number): Promise<WithdrawOutcome>
  /** The customer's reaction (A8); `null` removes it. False when the message is unknown. */
  react(mid: string, reaction: Reaction | null, at: number): Promise<boolean>
  /** The customer saw the business's messages up to and including `mid` (A8). Returns how many changed. */
  markSeen(mid: string, at: number): Promise<number>
}

export interface ParticipantRepository {
  /** The User Profile API's answer, cached (A1). */
  upsert(participant: ParticipantInput): Promise<Participant>
  get(igAccountId: string, igsid: string): Promise<Participant | null>
}

/**
 * Replies waiting to go out (A9, A10). States move only along
 * waiting → sending → sent | failed | ambiguous, failed → waiting (Retry),
 * ambiguous → sent | waiting (after reconciliation). Each move is one guarded UPDATE, so two
 * senders can never both claim a reply.
 */
export interface OutboxRepository {
  /** Idempotent by `id`: enqueuing the same reply again returns the stored one. */
  enqueue(item: NewOutboxItem): Promise<{ item: OutboxItem; created: boolean }>
  get(id: string): Promise<OutboxItem | null>
  /**
   * waiting → sending, recording how it goes out and which node sends it (team mode). Null when it
   * was not waiting, or another node is claiming it this very moment (PostgreSQL: SKIP LOCKED).
   */
  claim(id: string, window: SendWindow, nodeId?: string): Promise<OutboxItem | null>
  /** sending | ambiguous → sent. Stores the reply in the thread as `outbound` (once, by mid). */
  markSent(id: string, sentMid: string, at?: number): Promise<OutboxItem>
  /** sending → failed, with Meta's reason. */
  markFailed(id: string, problem: SendProblem): Promise<OutboxItem>
  /** sending → ambiguous: the request may have reached Meta (timeout, dropped connection). */
  markAmbiguous(id: string, problem: SendProblem): Promise<OutboxItem>
  /** failed → waiting: the agent pressed Retry. */
  retry(id: string): Promise<OutboxItem>
  /** ambiguous → waiting: reconciliation found no echo or message for it. */
  markNotSent(id: string): Promise<OutboxItem>
  /** waiting | failed → removed: the agent discarded the reply. False if it was not discardable. */
  discard(id: string): Promise<boolean>
  /** Replies waiting to send, oldest first. */
  pending(limit?: number): Promise<OutboxItem[]>
  /** Replies in one state, oldest first (the ambiguous ones any node may settle; diagnostics). */
  inState(state: OutboxState, limit: number): Promise<OutboxItem[]>
  /** A conversation's replies not yet sent (shown under the thread). */
  unsent(conversationId: string): Promise<OutboxItem[]>
  /**
   * A reply left `sending` by a crash may or may not have reached Meta, so it becomes `ambiguous`
   * (reconciled before any retry), never `waiting`. Returns how many. A single workstation calls it
   * at start-up with no argument (every `sending` reply was its own); a team node names the nodes
   * still alive, and only replies claimed by other nodes — dead ones — are recovered.
   */
  recoverInterrupted(options?: { aliveNodes: string[] }): Promise<number>
}

/** The scope of an integration's conversation list, as opposed to one conversation's messages. */
export const CONVERSATIONS_SCOPE = 'conversations'

export interface CursorRepository {
  /** Scope is `CONVERSATIONS_SCOPE` or a Graph conversation id (A2 poller backfill). */
  get(integrationId: string, scope: string): Promise<SyncCursor | null>
  set(integrationId: string, scope: string, value: CursorInput): Promise<SyncCursor>
  forIntegration(integrationId: string): Promise<SyncCursor[]>
}

/** S1–S13: the integrations, tombstones included (S12). */
export interface IntegrationRepository {
  /** Integrations in use (not deleted), oldest first. */
  list(): Promise<StoredIntegration[]>
  /** Every integration, deleted ones included, oldest first. */
  listAll(): Promise<StoredIntegration[]>
  /** By id, deleted ones included. */
  get(id: string): Promise<StoredIntegration | null>
  /** The integration in use for the Instagram account Meta names in a webhook; null when none. */
  byInstagramAccount(igAccountId: string): Promise<StoredIntegration | null>
  /**
   * Creates or replaces the whole record. A second integration in use for the same page is refused
   * (`conflict`, S6) — also when two nodes save at once.
   */
  put(integration: StoredIntegration): Promise<StoredIntegration>
  /** Changes named fields in one transaction, leaving the others as stored (no lost update of them). */
  update(id: string, changes: IntegrationChanges): Promise<StoredIntegration>
}

/** S8: the supervisor's content profiles, oldest first. Names are unique regardless of case. */
export interface ContentProfileRepository {
  list(): Promise<StoredContentProfile[]>
  get(id: string): Promise<StoredContentProfile | null>
  /** Creates or replaces; a name another profile has is refused (`conflict`). */
  put(profile: StoredContentProfile): Promise<StoredContentProfile>
  delete(id: string): Promise<boolean>
}

/** P2: the people who sign in to the team server. Usernames are unique regardless of case. */
export interface PersonRepository {
  /** A username already taken is refused (`conflict`). */
  create(person: NewPerson, at: number): Promise<Person>
  get(id: string): Promise<Person | null>
  /** Everyone, deactivated people included, by name. */
  list(): Promise<Person[]>
  /** For sign-in: the person and their password hash, whatever the case of `username`. */
  credentials(username: string): Promise<{ person: Person; passwordHash: string } | null>
  update(id: string, changes: PersonChanges): Promise<Person>
  setPasswordHash(id: string, passwordHash: string): Promise<void>
  /** Deactivate (`at`) or reactivate (`null`). Deactivation also deletes every session of theirs, in the same transaction. */
  setDeactivated(id: string, at: number | null): Promise<Person>
  /** How many active people hold `role` (the last supervisor must stay). */
  countActive(role: Role): Promise<number>
}

/** P3: signed-in sessions, by the hash of their token. */
export interface SessionRepository {
  create(session: NewSession): Promise<SessionRecord>
  /**
   * The session and its person when it was last used after `idleSince` and the person is active;
   * its last use moves to `at`. An idle or orphaned session is deleted and null returned.
   */
  touch(tokenHash: string, at: number, idleSince: number): Promise<{ session: SessionRecord; person: Person } | null>
  delete(tokenHash: string): Promise<boolean>
  /** Every session of a person (Deactivate, Reset password). Returns how many. */
  deleteForPerson(personId: string): Promise<number>
  /** Sessions idle since before `idleSince`. Returns how many. */
  deleteIdle(idleSince: number): Promise<number>
}

/** P3: failed sign-ins per account and per address, counted atomically across nodes. */
export interface SignInThrottleRepository {
  get(key: string): Promise<ThrottleState | null>
  /** Counts one failure at `at` (restarting the count when the window has passed) and locks the key once `lockAfter` is reached. */
  recordFailure(key: string, at: number, policy: ThrottlePolicy): Promise<ThrottleState>
  clear(key: string): Promise<void>
}

/** P4: secrets sealed with the server's key. The store never sees a secret in clear. */
export interface SealedSecretRepository {
  get(name: string): Promise<SealedSecret | null>
  put(secret: SealedSecret): Promise<void>
  delete(name: string): Promise<boolean>
  list(): Promise<SealedSecret[]>
  /**
   * rotate-key: every row re-sealed under `keyId` in one transaction, or none. A row changed since it
   * was listed (another node saved a secret meanwhile), or one left under another key, refuses the
   * whole step (`conflict`): list again and re-seal again.
   */
  reseal(rows: { before: SealedSecret; after: SealedSecret }[], keyId: string): Promise<void>
}

/** The team server's shared, non-secret settings (the Meta app's id, the webhook address…), as JSON values. */
export interface SettingsRepository {
  all(): Promise<Record<string, unknown>>
  set(key: string, value: unknown): Promise<void>
}

/** Team mode: which nodes are alive, by heartbeat. */
export interface NodeRepository {
  beat(beat: NodeBeat): Promise<void>
  /** Nodes seen since `since`, oldest first. */
  alive(since: number): Promise<NodeRecord[]>
  remove(nodeId: string): Promise<void>
}

/** A4 on a team server: files for replies, kept in the database so any node can take, send and serve them. */
export interface StagedFileRepository {
  put(file: StagedFile, bytes: Buffer): Promise<void>
  get(id: string): Promise<StagedFile | null>
  bytes(id: string): Promise<Buffer | null>
  /** Ties it to the reply that sends it (null: untied). Null when the file is gone. */
  link(id: string, replyId: string | null): Promise<StagedFile | null>
  remove(id: string): Promise<void>
  /** Every description, oldest first (to sweep what no reply needs). */
  list(): Promise<StagedFile[]>
}

/** R1: queues with their members, and each integration's rules. Queue names are unique regardless of case. */
export interface QueueRepository {
  /** By name. */
  list(): Promise<StoredQueue[]>
  get(id: string): Promise<StoredQueue | null>
  /** Creates or replaces a queue and its members. A name another queue has is refused (`conflict`). */
  put(queue: StoredQueue): Promise<StoredQueue>
  /** Refused (`conflict`) for a Default queue, a queue a rule names, or one with open conversations. */
  delete(id: string): Promise<boolean>
  /**
   * The integration's Default queue (`default:<integrationId>`, the queue its conversations start
   * in), made when missing with its rules, named after the integration; `memberIds` join it.
   */
  ensureDefault(integrationId: string, name: string, at: number, memberIds?: string[]): Promise<StoredQueue>
  rules(integrationId: string): Promise<StoredRules | null>
  /** Every queue named must exist (`not_found`). */
  putRules(rules: StoredRules): Promise<StoredRules>
}

/**
 * R2–R6: presence and routing decisions. Each decision is one transaction; one that changes a
 * conversation or adds to an agent's load locks their rows, so under any concurrency a
 * conversation has at most one agent and no agent holds more than their capacity.
 */
export interface RoutingRepository {
  agent(personId: string): Promise<AgentState | null>
  setPresence(personId: string, presence: Presence, at: number): Promise<AgentState>
  setAutoAnswer(personId: string, on: boolean, at: number): Promise<AgentState>
  /** Conversations not yet routed (new or reopened), oldest first. */
  unrouted(limit: number): Promise<string[]>
  /**
   * R1, R4: into its queue, waiting. A reopened conversation keeps its last agent as the first to be
   * offered it when it ended within `threadingWindowMs`. Nothing happens when it is already routed.
   */
  route(conversationId: string, queueId: string, at: number, threadingWindowMs: number): Promise<Decision>
  /** R3: offers the oldest waiting conversation someone can take to the longest-idle such agent. Null when there is none. */
  offerNext(at: number): Promise<Offer | null>
  accept(conversationId: string, personId: string, at: number): Promise<Decision>
  decline(conversationId: string, personId: string, at: number): Promise<Decision>
  /** R3: one alert past its time: withdrawn, its agent Not responding. Null when none is due. */
  expireNext(at: number): Promise<Expired | null>
  /** R5: blind, to a queue or to a person who is on queue with room. */
  transfer(conversationId: string, to: TransferTarget, at: number, byPersonId: string | null): Promise<Decision>
  /** A supervisor gives it to a person (within their capacity, whatever their presence). */
  assign(conversationId: string, personId: string, at: number, byPersonId: string | null): Promise<Decision>
  /** R5: ended with a wrap-up code of its queue (required when the queue says Mandatory). */
  end(conversationId: string, byPersonId: string, wrapUpCode: string | null, at: number): Promise<Decision>
  alertsFor(personId: string): Promise<StoredAlert[]>
  alert(conversationId: string): Promise<StoredAlert | null>
  /** When the next alert expires; null when none is out. */
  nextExpiry(): Promise<number | null>
  /** Every routing step of a conversation, oldest first. */
  history(conversationId: string): Promise<RoutingEvent[]>
  /** R6. */
  activity(): Promise<QueueActivity>
}

/** I1: API keys, found by their hash; each use counted against a per-minute limit under the key's row lock. */
export interface ApiKeyRepository {
  create(key: StoredApiKey, keyHash: string): Promise<StoredApiKey>
  /** Newest first, revoked ones too. */
  list(): Promise<StoredApiKey[]>
  /** Null when there is no such key. Revoking twice keeps the first time. */
  revoke(id: string, at: number): Promise<StoredApiKey | null>
  use(keyHash: string, at: number, perMinute: number): Promise<KeyUse>
}

/** I2: subscriptions, and the deliveries routing steps make for them (claimed by any node, one attempt at a time). */
export interface SubscriptionRepository {
  create(subscription: Omit<StoredSubscription, 'enabled' | 'consecutiveFailures' | 'disabledAt' | 'disabledReason' | 'pending'>): Promise<StoredSubscription>
  list(): Promise<StoredSubscription[]>
  get(id: string): Promise<StoredSubscription | null>
  /** Turning it on clears its failures; Parley turns it off with a reason. */
  setEnabled(id: string, enabled: boolean, at: number, reason?: string | null): Promise<StoredSubscription | null>
  delete(id: string): Promise<boolean>
  /** The newest first. */
  deliveries(subscriptionId: string, limit: number): Promise<StoredDelivery[]>
  /** Takes up to `limit` due deliveries of enabled subscriptions for `lockMs` (a lease), counting the attempt. */
  claimDue(at: number, lockMs: number, limit: number): Promise<ClaimedDelivery[]>
  /** Records an attempt; the subscription is turned off after `disableAfter` failures in a row or a delivery given up. */
  finish(deliveryId: string, at: number, outcome: AttemptOutcome, disableAfter: number): Promise<{ disabled: boolean }>
}

export interface ApiConversationFilter {
  id?: string
  state?: ApiConversationRow['state']
  queueId?: string
  agentId?: string
  integrationId?: string
  activeSince?: number
  activeBefore?: number
  /** The last row of the previous page. */
  after?: { at: number; id: string }
}

/** I1: the REST API's reads, newest activity first, cursor-paged. */
export interface ApiReadRepository {
  conversations(filter: ApiConversationFilter, limit: number): Promise<ApiConversationRow[]>
  /** Newest first. */
  messages(conversationId: string, limit: number, before?: { at: number; mid: string }): Promise<ApiMessageRow[]>
  /** By id; a workstation's local person is not one of them. */
  people(limit: number, afterId?: string): Promise<ApiPersonRow[]>
}

export interface StoreStats {
  schemaVersion: number
  rows: { conversations: number; participants: number; messages: number; withdrawnMessages: number; outbox: number; outboxUnsent: number; syncCursors: number }
  /** Bytes of the database file and its `-wal` and `-shm` companions (0 when absent). */
  files: { database: number; wal: number; shm: number }
  pages: { size: number; count: number; free: number }
}

export interface Store {
  /** SQLite: the database file. PostgreSQL: the server and database, without credentials. */
  readonly filePath: string
  readonly engine: 'sqlite' | 'postgres'
  readonly conversations: ConversationRepository
  readonly messages: MessageRepository
  readonly participants: ParticipantRepository
  readonly outbox: OutboxRepository
  readonly cursors: CursorRepository
  readonly integrations: IntegrationRepository
  readonly contentProfiles: ContentProfileRepository
  readonly people: PersonRepository
  readonly sessions: SessionRepository
  readonly signInThrottle: SignInThrottleRepository
  readonly sealedSecrets: SealedSecretRepository
  readonly settings: SettingsRepository
  readonly nodes: NodeRepository
  readonly stagedFiles: StagedFileRepository
  readonly queues: QueueRepository
  readonly routing: RoutingRepository
  readonly apiKeys: ApiKeyRepository
  readonly subscriptions: SubscriptionRepository
  readonly apiReads: ApiReadRepository
  /** For the diagnostic bundle (T3): counts and sizes, never content. */
  stats(): Promise<StoreStats>
  /** Reachable and on the schema this Parley knows (the team server's /readyz). */
  ready(): Promise<{ ready: boolean; reason?: string }>
  /** Releases the file or the connection pool. PostgreSQL waits for queries in flight. */
  close(): Promise<void>
}
