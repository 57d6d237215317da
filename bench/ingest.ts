// Measurement 1: webhook events through Parley's real ingest path (signature check, parsing,
// normalising, dedupe by mid, conversations, counters, the SQLite store on disk with production
// pragmas) against a raw batched insert of the same rows into the same schema, in the same run:
// plain SQL statements that leave the database with the same messages and the same conversations,
// counters included. Both runs' conversations are compared, so the two cannot drift apart.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../src-main/core/app/logger.ts'
import { createIngest, createWebhookReceiver, normalizeWebhookPayload, type MessageEvent } from '../src-main/core/inbox/inbound/index.ts'
import { LOCAL_AGENT } from '../src-main/core/contract/people.ts'
import type { DatabaseSync } from 'node:sqlite'
import { openDatabase, transaction } from '../src-main/core/store/database.ts'
import { openStore, STORE_FILE_NAME, type Store } from '../src-main/core/store/index.ts'
import { migrate } from '../src-main/core/store/migrate.ts'
import { MIGRATIONS } from '../src-main/core/store/migrations/index.ts'
import { median } from './stats.ts'
import { generateTraffic, signedBody, type SignedBody, type Traffic, type WebhookEvent } from './webhookEvents.ts'

export interface IngestOptions {
  events: number
  conversations: number
  /** Events per webhook POST, and rows per transaction of the raw insert. */
  batch: number
  rounds: number
}

export interface IngestResult {
  ingestPerSecond: number
  rawPerSecond: number
  ratio: number
}

export const APP_SECRET = 'bench-app-secret-0123456789abcdef'
const silent: Logger = { info() {}, warn() {}, error() {} }

const integrationOf = (igAccountId: string) => `bench-integration-${igAccountId}`

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'))
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }))
}

interface RunResult {
  perSecond: number
  /** The conversations the run left behind, counters included: both runs must leave the same. */
  conversations: string
}

/** A digest of every conversation's customer, counters and times (ids are random on both sides). */
function conversationsDigest(db: DatabaseSync): string {
  const rows = db.prepare(`
    SELECT ig_account_id, customer_igsid, unread_count, last_customer_message_at, last_activity_at, created_at, state
    FROM conversations ORDER BY ig_account_id, customer_igsid`).all()
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}

/**
 * Parley's path, whichever store it writes to: each body as the receiver gets it from the webhook
 * server, then ingest, then the store. Returns events per second, once everything is stored.
 */
export async function ingestAll(store: Store, traffic: Traffic, bodies: SignedBody[]): Promise<number> {
  const ingest = createIngest({
    store,
    directory: {
      byInstagramAccount: (igId) => (traffic.accounts.includes(igId) ? { integrationId: integrationOf(igId), pageId: `page-${igId}`, storyMentions: true, storyReplies: true } : null),
      pageToken: async () => null,
    },
    graph: () => null,
    log: silent,
  })
  const receiver = createWebhookReceiver({ appSecret: async () => APP_SECRET, verifyToken: 'bench-verify-token', onPayload: (p) => ingest.webhook(p), log: silent })
  const started = performance.now()
  for (const { body, headers } of bodies) {
    const answer = await receiver.receive(body, headers)
    if (answer.status !== 200) throw new Error(`the receiver answered ${answer.status}: ${answer.body}`)
  }
  await ingest.idle()
  const seconds = (performance.now() - started) / 1000
  const { rows } = await store.stats()
  if (rows.messages !== traffic.events.length || rows.conversations !== traffic.customers.length) {
    throw new Error(`ingest stored ${rows.messages} messages in ${rows.conversations} conversations; expected ${traffic.events.length} in ${traffic.customers.length}`)
  }
  return traffic.events.length / seconds
}

async function runIngest(traffic: Traffic, bodies: SignedBody[]): Promise<RunResult> {
  return withTempDir(async (dir) => {
    const store = openStore(join(dir, STORE_FILE_NAME))
    try {
      const perSecond = await ingestAll(store, traffic, bodies)
      await store.close()
      const db = openDatabase(join(dir, STORE_FILE_NAME))
      try {
        return { perSecond, conversations: conversationsDigest(db) }
      } finally {
        db.close()
      }
    } finally {
      await store.close()
    }
  })
}

/**
 * The same rows written by plain SQL, in transactions of the same size: each message inserted, and
 * its conversation inserted or its counters moved (unread count, last customer message, last
 * activity) as the message requires.
 */
async function runRaw(traffic: Traffic, rows: MessageEvent[], batch: number): Promise<RunResult> {
  return withTempDir(async (dir) => {
    const filePath = join(dir, STORE_FILE_NAME)
    const db = openDatabase(filePath)
    try {
      migrate(db, filePath, MIGRATIONS, Date.now)
      const upsertConversation = db.prepare(`
        INSERT INTO conversations (id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count, last_customer_message_at, last_activity_at, created_at)
        VALUES (:id, :integrationId, :igAccountId, :igsid, :queueId, :agentId, 'open', :unread, :customerAt, :at, :at)
        ON CONFLICT (ig_account_id, customer_igsid) DO UPDATE SET
          unread_count = unread_count + excluded.unread_count,
          last_customer_message_at = coalesce(max(last_customer_message_at, excluded.last_customer_message_at), last_customer_message_at, excluded.last_customer_message_at),
          last_activity_at = max(last_activity_at, excluded.last_activity_at)`)
      const insertMessage = db.prepare(`
        INSERT INTO messages (mid, conversation_id, direction, kind, text, attachments, reply_to_mid, story_id, created_at, received_at, withdrawn_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`)
      // Ids are made up front, as ingest's store makes one per new conversation.
      const ids = new Map(traffic.customers.map((c) => [`${c.igAccountId}\u0000${c.igsid}`, randomUUID()]))
      const started = performance.now()
      for (const chunk of batches(rows, batch)) {
        const receivedAt = Date.now()
        transaction(db, () => {
          for (const m of chunk) {
            const id = ids.get(`${m.igAccountId}\u0000${m.customerIgsid}`)!
            const integrationId = integrationOf(m.igAccountId)
            const inbound = m.direction === 'inbound'
            upsertConversation.run({
              id, integrationId, igAccountId: m.igAccountId, igsid: m.customerIgsid, queueId: `default:${integrationId}`, agentId: LOCAL_AGENT,
              unread: inbound ? 1 : 0, customerAt: inbound ? m.createdAt : null, at: m.createdAt,
            })
            insertMessage.run(m.mid, id, m.direction, m.kind, m.text, m.attachments ? JSON.stringify(m.attachments) : null, m.replyToMid, m.storyId, m.createdAt, receivedAt)
          }
        })
      }
      const seconds = (performance.now() - started) / 1000
      return { perSecond: rows.length / seconds, conversations: conversationsDigest(db) }
    } finally {
      db.close()
    }
  })
}


export async function measureIngest(options: IngestOptions, progress: (line: string) => void = () => {}): Promise<IngestResult> {
  const traffic = generateTraffic({ events: options.events, conversations: options.conversations })
  const chunks: WebhookEvent[][] = batches(traffic.events, options.batch)
  const bodies = chunks.map((chunk) => signedBody(chunk, APP_SECRET))
  // The raw insert writes exactly what ingest derives from the same bodies.
  const rows = bodies.flatMap(({ body }) => normalizeWebhookPayload(JSON.parse(body.toString('utf8'))).entries.flatMap((e) => e.events)) as MessageEvent[]
  if (rows.length !== traffic.events.length || rows.some((r) => r.type !== 'message')) throw new Error('the generated traffic did not normalise to one message per event')

  const ingest: number[] = []
  const raw: number[] = []
  // Alternating rounds, so that a busy moment on the machine does not favour one side.
  for (let round = 1; round <= options.rounds; round++) {
    const rawRun = await runRaw(traffic, rows, options.batch)
    const ingestRun = await runIngest(traffic, bodies)
    if (rawRun.conversations !== ingestRun.conversations) throw new Error('the raw insert left other conversations than ingest: the comparison would be unfair')
    raw.push(rawRun.perSecond)
    ingest.push(ingestRun.perSecond)
    progress(`ingest round ${round}/${options.rounds}: ingest ${Math.round(ingest.at(-1)!)} events/s, raw ${Math.round(raw.at(-1)!)} rows/s`)
  }
  // The ratio per round (each pair ran back to back), then the median: the machine's load drifts.
  return { ingestPerSecond: median(ingest), rawPerSecond: median(raw), ratio: median(ingest.map((v, i) => v / raw[i]!)) }
}
