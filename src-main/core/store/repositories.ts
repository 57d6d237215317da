// The store's contract: what the inbox, routing and diagnostics may ask of it, and nothing more.
//
// Every method returns a Promise. The SQLite implementation does its work synchronously and hands
// back a settled promise; the PostgreSQL implementation that team mode adds cannot be synchronous.
// With one asynchronous contract the callers are written once, and one contract test suite runs
// against both. Each method is a whole unit of work (one transaction when it writes more than one
// row), so no transaction is ever held open across an `await`.
import type {
  Assignment, Conversation, ConversationCountOptions, ConversationListOptions, ConversationState, ConversationSummary,
  CursorInput, InboundConversation, InboundMessage, Message, MessagePageOptions, NewMessage, NewOutboxItem, OutboxItem, Participant,
  ParticipantInput, Reaction, SendProblem, SendWindow, SyncCursor,
} from './schemas.ts'

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
  /** waiting → sending, recording how it goes out. Null when it was not waiting (someone else has it). */
  claim(id: string, window: SendWindow): Promise<OutboxItem | null>
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
  /** A conversation's replies not yet sent (shown under the thread). */
  unsent(conversationId: string): Promise<OutboxItem[]>
  /**
   * At start-up: a reply left `sending` by a crash may or may not have reached Meta, so it becomes
   * `ambiguous` (reconciled before any retry), never `waiting`. Returns how many.
   */
  recoverInterrupted(): Promise<number>
}

/** The scope of an integration's conversation list, as opposed to one conversation's messages. */
export const CONVERSATIONS_SCOPE = 'conversations'

export interface CursorRepository {
  /** Scope is `CONVERSATIONS_SCOPE` or a Graph conversation id (A2 poller backfill). */
  get(integrationId: string, scope: string): Promise<SyncCursor | null>
  set(integrationId: string, scope: string, value: CursorInput): Promise<SyncCursor>
  forIntegration(integrationId: string): Promise<SyncCursor[]>
}

export interface StoreStats {
  schemaVersion: number
  rows: { conversations: number; participants: number; messages: number; withdrawnMessages: number; outbox: number; outboxUnsent: number; syncCursors: number }
  /** Bytes of the database file and its `-wal` and `-shm` companions (0 when absent). */
  files: { database: number; wal: number; shm: number }
  pages: { size: number; count: number; free: number }
}

export interface Store {
  readonly filePath: string
  readonly conversations: ConversationRepository
  readonly messages: MessageRepository
  readonly participants: ParticipantRepository
  readonly outbox: OutboxRepository
  readonly cursors: CursorRepository
  /** For the diagnostic bundle (T3): counts and sizes, never content. */
  stats(): Promise<StoreStats>
  close(): void
}
