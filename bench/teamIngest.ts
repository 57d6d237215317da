// Team mode, measurement 1: the same webhook traffic through Parley's ingest into the PostgreSQL
// store, against a plain batched insert of the same rows into the same schema on the same server,
// in the same run. Both leave the same conversations (counters included), compared by digest.
import { createHash, randomUUID } from 'node:crypto'
import pg from 'pg'
import { normalizeWebhookPayload, type MessageEvent } from '../src-main/core/inbox/inbound/index.ts'
import { openPostgresStore } from '../src-main/core/store/index.ts'
import { createDatabaseAt } from '../test/fixtures/postgres.ts'
import { APP_SECRET, ingestAll } from './ingest.ts'
import { median } from './stats.ts'
import { generateTraffic, signedBody, type SignedBody, type Traffic } from './webhookEvents.ts'

export interface TeamIngestResult {
  ingestPerSecond: number
  rawPerSecond: number
  ratio: number
}


async function digest(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(`
      SELECT ig_account_id, customer_igsid, unread_count, last_customer_message_at::text, last_activity_at::text, created_at::text, state
      FROM conversations ORDER BY ig_account_id, customer_igsid`)
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
  } finally {
    await client.end()
  }
}

async function runIngest(adminUrl: string, traffic: Traffic, bodies: SignedBody[]): Promise<{ perSecond: number; digest: string }> {
  const url = await createDatabaseAt(adminUrl, 'bench_ingest')
  const store = await openPostgresStore(url)
  try {
    return { perSecond: await ingestAll(store, traffic, bodies), digest: await digest(url) }
  } finally {
    await store.close()
  }
}

/**
 * The same rows by plain SQL, one transaction per batch and two statements in it: the conversations
 * (created, or their counters moved) and the messages, each as one multi-row statement.
 */
async function runRaw(adminUrl: string, traffic: Traffic, batches: MessageEvent[][]): Promise<{ perSecond: number; digest: string }> {
  const url = await createDatabaseAt(adminUrl, 'bench_raw')
  // The same schema: opened once through the store, which migrates it.
  await (await openPostgresStore(url)).close()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const ids = new Map(traffic.customers.map((c) => [`${c.igAccountId}\u0000${c.igsid}`, randomUUID()]))
    const started = performance.now()
    for (const rows of batches) {
      const receivedAt = Date.now()
      const threads = new Map<string, { id: string; ig: string; igsid: string; unread: number; customerAt: number | null; at: number; first: number }>()
      for (const m of rows) {
        const key = `${m.igAccountId}\u0000${m.customerIgsid}`
        const t = threads.get(key) ?? { id: ids.get(key)!, ig: m.igAccountId, igsid: m.customerIgsid, unread: 0, customerAt: null, at: 0, first: m.createdAt }
        const inbound = m.direction === 'inbound'
        threads.set(key, { ...t, unread: t.unread + (inbound ? 1 : 0), customerAt: inbound ? Math.max(t.customerAt ?? 0, m.createdAt) : t.customerAt, at: Math.max(t.at, m.createdAt), first: Math.min(t.first, m.createdAt) })
      }
      const list = [...threads.values()].sort((a, b) => a.id.localeCompare(b.id))
      await client.query('BEGIN')
      await client.query(
        `INSERT INTO conversations (id, integration_id, ig_account_id, customer_igsid, queue_id, assigned_agent_id, state, unread_count, last_customer_message_at, last_activity_at, created_at)
         SELECT v.id, 'bench-integration-' || v.ig, v.ig, v.igsid, 'default:bench-integration-' || v.ig, NULL, 'open', v.unread, v.customer_at, v.at, v.first
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[]) AS v(id, ig, igsid, unread, customer_at, at, first)
         ON CONFLICT (ig_account_id, customer_igsid) DO UPDATE SET
           unread_count = conversations.unread_count + excluded.unread_count,
           last_customer_message_at = CASE WHEN excluded.last_customer_message_at IS NULL THEN conversations.last_customer_message_at ELSE GREATEST(coalesce(conversations.last_customer_message_at, 0), excluded.last_customer_message_at) END,
           last_activity_at = GREATEST(conversations.last_activity_at, excluded.last_activity_at)`,
        [list.map((t) => t.id), list.map((t) => t.ig), list.map((t) => t.igsid), list.map((t) => t.unread), list.map((t) => t.customerAt), list.map((t) => t.at), list.map((t) => t.first)],
      )
      await client.query(
        `INSERT INTO messages (mid, conversation_id, direction, kind, text, attachments, reply_to_mid, story_id, created_at, received_at, withdrawn_at)
         SELECT *, NULL FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])`,
        [
          rows.map((m) => m.mid), rows.map((m) => ids.get(`${m.igAccountId}\u0000${m.customerIgsid}`)!), rows.map((m) => m.direction), rows.map((m) => m.kind),
          rows.map((m) => m.text), rows.map((m) => (m.attachments ? JSON.stringify(m.attachments) : null)), rows.map((m) => m.replyToMid), rows.map((m) => m.storyId),
          rows.map((m) => m.createdAt), rows.map(() => receivedAt),
        ],
      )
      await client.query('COMMIT')
    }
    const seconds = (performance.now() - started) / 1000
    return { perSecond: traffic.events.length / seconds, digest: await digest(url) }
  } finally {
    await client.end()
  }
}

export async function measureTeamIngest(
  adminUrl: string,
  options: { events: number; conversations: number; batch: number; rounds: number },
  progress: (line: string) => void = () => {},
): Promise<TeamIngestResult> {
  const traffic = generateTraffic({ events: options.events, conversations: options.conversations })
  const bodies: SignedBody[] = []
  for (let i = 0; i < traffic.events.length; i += options.batch) bodies.push(signedBody(traffic.events.slice(i, i + options.batch), APP_SECRET))
  const batches = bodies.map(({ body }) => normalizeWebhookPayload(JSON.parse(body.toString('utf8'))).entries.flatMap((e) => e.events) as MessageEvent[])
  const ingest: number[] = []
  const raw: number[] = []
  for (let round = 1; round <= options.rounds; round++) {
    const rawRun = await runRaw(adminUrl, traffic, batches)
    const ingestRun = await runIngest(adminUrl, traffic, bodies)
    if (rawRun.digest !== ingestRun.digest) throw new Error('the plain insert left other conversations than ingest: the comparison would be unfair')
    raw.push(rawRun.perSecond)
    ingest.push(ingestRun.perSecond)
    progress(`team ingest round ${round}/${options.rounds}: ingest ${Math.round(ingest.at(-1)!)} events/s, plain SQL ${Math.round(raw.at(-1)!)} rows/s`)
  }
  return { ingestPerSecond: median(ingest), rawPerSecond: median(raw), ratio: median(ingest.map((v, i) => v / raw[i]!)) }
}
