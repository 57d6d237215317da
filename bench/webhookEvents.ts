// Realistic Instagram `messages` webhook traffic for the benchmarks: customers' texts, some
// attachments and quoted replies, and echoes of the business answering from the Instagram app —
// shaped, serialised and signed as the sandbox (and Meta) send them. Deterministic for a seed.
import { metaJson, signature } from '../src-main/sandbox/webhooks.ts'

export interface Traffic {
  /** The Instagram professional accounts the events are addressed to (`entry[].id`). */
  accounts: string[]
  /** Every customer who writes, each in one conversation with one account. */
  customers: { igAccountId: string; igsid: string; thread: string }[]
  events: WebhookEvent[]
}

export interface WebhookEvent {
  igAccountId: string
  customerIgsid: string
  mid: string
  echo: boolean
  timestamp: number
  message: Record<string, unknown>
}

export interface SignedBody {
  body: Buffer
  headers: Record<string, string>
}

export const BENCH_ACCOUNTS = ['17841401234567801', '17841401234567802']
const START = Date.UTC(2026, 0, 5, 8, 0, 0)

/** A small, fast, seedable generator (mulberry32): the same traffic on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = 'hallo ich habe eine frage zu meiner bestellung wann kommt das paket kaffee bohnen mühle danke schön ist der laden am sonntag offen bitte rückruf größe farbe preis lieferung'.split(' ')

/** Meta's mids are base64 of an internal item key naming the thread, about 110 characters long. */
export const midOf = (igAccountId: string, thread: string, n: number) =>
  Buffer.from(`ig_message_item:1:IGMessageThread:${igAccountId}:${thread}:${String(n).padStart(22, '0')}`).toString('base64url')

export interface TrafficOptions {
  events: number
  conversations: number
  seed?: number
  accounts?: string[]
  /** Epoch ms of the first event; events follow 40 ms apart. */
  start?: number
}

export function generateTraffic(options: TrafficOptions): Traffic {
  const next = random(options.seed ?? 1)
  const accounts = options.accounts ?? BENCH_ACCOUNTS
  const start = options.start ?? START
  const customers = Array.from({ length: options.conversations }, (_, i) => ({
    igAccountId: accounts[i % accounts.length]!,
    igsid: String(6_100_000_000_000_000 + i * 7_919),
    thread: String(Math.floor(next() * 1e12)).padStart(12, '0') + String(i).padStart(6, '0'),
  }))
  const lastInbound = new Map<number, string>()
  const events: WebhookEvent[] = []
  for (let n = 0; n < options.events; n++) {
    // Every conversation gets its first message early, then traffic spreads over all of them.
    const c = n < customers.length ? n : Math.floor(next() * customers.length)
    const { igAccountId, igsid, thread } = customers[c]!
    const mid = midOf(igAccountId, thread, n)
    const timestamp = start + n * 40
    const roll = next()
    const text = Array.from({ length: 3 + Math.floor(next() * 18) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')
    const echo = n >= customers.length && roll < 0.12
    const message: Record<string, unknown> = { mid }
    if (echo) {
      message.text = `Danke für Ihre Nachricht! ${text}`
      message.is_echo = true
    } else if (roll < 0.2) {
      message.attachments = [{ type: 'image', payload: { url: `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${1789_0000_0000 + n}&signature=${mid.slice(0, 40)}` } }]
    } else if (roll < 0.22) {
      message.attachments = [{ type: 'ig_reel', payload: { url: `https://www.instagram.com/reel/C${mid.slice(10, 21)}/` } }]
    } else if (roll < 0.25 && lastInbound.has(c)) {
      message.text = text
      message.reply_to = { mid: lastInbound.get(c) }
    } else {
      message.text = text
    }
    if (!echo) lastInbound.set(c, mid)
    events.push({ igAccountId, customerIgsid: igsid, mid, echo, timestamp, message })
  }
  return { accounts, customers, events }
}

/** The `messaging` item Meta sends for the event: sender and recipient swap for an echo. */
export function messagingItem(event: WebhookEvent): Record<string, unknown> {
  const customer = { id: event.customerIgsid }
  const business = { id: event.igAccountId }
  return { sender: event.echo ? business : customer, recipient: event.echo ? customer : business, timestamp: event.timestamp, message: event.message }
}

/** One POST carrying `events` (Meta batches: one entry per event), serialised and signed as the sandbox does. */
export function signedBody(events: WebhookEvent[], appSecret: string): SignedBody {
  const payload = {
    object: 'instagram',
    entry: events.map((e) => ({ id: e.igAccountId, time: e.timestamp, messaging: [messagingItem(e)] })),
  }
  const body = metaJson(payload)
  return {
    body: Buffer.from(body, 'utf8'),
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(body, appSecret) },
  }
}
