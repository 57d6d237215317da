// X4 as a property: 10,000 generated webhook bodies — valid, mutated type by type, truncated,
// deeply nested, huge, with `__proto__` / `constructor` keys — signed with the app secret and
// posted to the real receiver over HTTP, in front of ingest and a store on disk. Whatever comes:
// no 5xx, no crash, no prototype pollution, every refusal where the model says, and every valid
// message stored exactly once (replays included). Batches of payloads per run keep it fast.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createIngest, createWebhookReceiver, DEFAULT_MAX_BODY_BYTES, MAX_LISTED_REFUSALS, signBody, startWebhookServer,
  type InboxChange, type IntegrationDirectory, type RunningWebhookServer,
} from '../../../../src-main/core/inbox/inbound/index.ts'
import { openStore, STORE_FILE_NAME, type Store } from '../../../../src-main/core/store/index.ts'
import { memoryLog } from './harness.ts'

const IG = '17841401234567801'
const CUSTOMERS = ['6618576110568109', '6430532616864956', '7012345678901234']
const SECRET = 'property-test-app-secret'
const T = 1_795_582_256_842
const RUNS = 200
const PAYLOADS_PER_RUN = 50 // RUNS × PAYLOADS_PER_RUN = 10,000 generated payloads
const REPLAYS_PER_RUN = 2
const CONCURRENCY = 6

// ---- the model: what is generated, and what the receiver must make of it --------------------

const BASES = ['text', 'attachment', 'echo', 'reply', 'quickReply', 'unsend', 'reaction', 'read', 'referral'] as const
type Base = (typeof BASES)[number]
/** Bases that store a message under their own mid. */
const STORES: ReadonlySet<Base> = new Set(['text', 'attachment', 'echo', 'reply', 'quickReply'])
const WITH_MESSAGE: ReadonlySet<Base> = new Set(['text', 'attachment', 'echo', 'reply', 'quickReply', 'unsend'])

const EVENT_BREAKS = [
  'senderNull', 'senderIdNumber', 'kindNumber', 'noMid', 'timestampString', 'textNumber', 'attachmentsObject',
  'noRecipient', 'notAnObject', 'deepText', 'customerIsBusiness', 'entryLikeEvent',
] as const
type EventBreak = (typeof EVENT_BREAKS)[number]
const ENTRY_BREAKS = ['idNumber', 'timeString', 'messagingObject', 'noId', 'notAnObject'] as const
const PAYLOAD_BREAKS = ['object', 'noEntry', 'entryObject', 'truncate', 'notJson', 'array'] as const

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'polluted', 'is_new_meta_field']
const jsonish = fc.jsonValue({ maxDepth: 3 })
/** Keys the envelope defines: an extra field with one of these names would be a different test. */
const RESERVED = new Set(['object', 'entry', 'id', 'time', 'messaging', 'standby', 'changes', 'sender', 'recipient', 'timestamp', 'message', 'reaction', 'read', 'postback', 'referral', 'nested_meta_field'])
const extras = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 }).filter((k) => !RESERVED.has(k))), fc.oneof(jsonish, fc.constant({ polluted: 'yes', prototype: { polluted: 'yes' } }))),
  { maxLength: 3 },
)
/** Nesting depth of a value put somewhere (built as text: deeper than JSON.stringify would go). */
const deep = fc.oneof({ arbitrary: fc.constant(0), weight: 80 }, { arbitrary: fc.integer({ min: 1, max: 200 }), weight: 20 }, { arbitrary: fc.integer({ min: 10_000, max: 60_000 }), weight: 1 })

const eventModel = fc.record({
  base: fc.constantFrom(...BASES),
  customer: fc.nat({ max: CUSTOMERS.length - 1 }),
  text: fc.string({ unit: 'grapheme', maxLength: 40 }),
  extras,
  deep,
  broken: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.constantFrom(...EVENT_BREAKS), weight: 1 }),
  junk: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.array(fc.nat(), { maxLength: 2 })),
})
type EventModel = typeof eventModel extends fc.Arbitrary<infer M> ? M : never

const entryModel = fc.record({
  list: fc.constantFrom('messaging', 'standby'),
  events: fc.array(eventModel, { maxLength: 6 }),
  extras,
  broken: fc.oneof({ arbitrary: fc.constant(null), weight: 8 }, { arbitrary: fc.constantFrom(...ENTRY_BREAKS), weight: 1 }),
})
type EntryModel = typeof entryModel extends fc.Arbitrary<infer M> ? M : never

const payloadModel = fc.record({
  entries: fc.array(entryModel, { minLength: 1, maxLength: 3 }),
  extras,
  broken: fc.oneof({ arbitrary: fc.constant(null), weight: 10 }, { arbitrary: fc.constantFrom(...PAYLOAD_BREAKS), weight: 1 }),
  cut: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  // A few huge ones: a text near the store's limit and a large unknown field; some bodies are past
  // the receiver's 1 MB.
  huge: fc.oneof({ arbitrary: fc.constant(0), weight: 150 }, { arbitrary: fc.integer({ min: 50_000, max: 1_200_000 }), weight: 1 }),
})
type PayloadModel = typeof payloadModel extends fc.Arbitrary<infer M> ? M : never

interface Built {
  body: string
  status: number
  /** Refusals the answer must list, in order. */
  refused: string[]
  accepted: number
  /** Mids that must be stored once this body was taken; mids that must never be. */
  stores: string[]
  never: string[]
}

let serial = 0
/** What the generated bodies held, to show the run covered each shape. */
const seen = { deeplyNested: 0, huge: 0, tooLarge: 0, protoKeys: 0, truncated: 0 }
const DEEP = (n: number) => `@@nest${n}@@`

function withExtras(target: Record<string, unknown>, pairs: [string, unknown][]) {
  // Defined as own properties (as JSON.parse makes them), `__proto__` included.
  for (const [key, value] of pairs) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  return target
}

function buildEvent(m: EventModel, text: string, deeps: number[]): { event: unknown; mid: string | null; valid: boolean } {
  const mid = `p${serial++}`
  const customer = CUSTOMERS[m.customer]!
  const parties = m.base === 'echo' ? { sender: { id: IG }, recipient: { id: customer } } : { sender: { id: customer }, recipient: { id: IG } }
  const event: Record<string, unknown> = { ...parties, timestamp: T + serial }
  // A marker in every text: the log must never show one.
  const body = `secret-${text}`
  switch (m.base) {
    case 'text': event.message = { mid, text: body }; break
    case 'attachment': event.message = { mid, attachments: [{ type: 'image', payload: { url: 'https://cdn.example/i.jpg' } }] }; break
    case 'echo': event.message = { mid, text: body, is_echo: true }; break
    case 'reply': event.message = { mid, text: body, reply_to: { mid: `r${serial}` } }; break
    case 'quickReply': event.message = { mid, text: body, quick_reply: { payload: 'RED' } }; break
    case 'unsend': event.message = { mid: `u${mid}`, is_deleted: true }; break
    case 'reaction': event.reaction = { mid: `u${mid}`, action: 'react', reaction: 'love', emoji: '\u2764' }; break
    case 'read': event.read = { mid: `u${mid}` }; break
    case 'referral': event.referral = { ref: 'summer', source: 'ADS', type: 'OPEN_THREAD' }; break
  }
  withExtras(event, m.extras)
  if (m.deep > 0) {
    deeps.push(m.deep)
    event.nested_meta_field = DEEP(deeps.length - 1)
  }
  const hasMessage = WITH_MESSAGE.has(m.base)
  const kind = hasMessage ? 'message' : m.base
  const applicable: Record<EventBreak, boolean> = {
    senderNull: true, senderIdNumber: true, noRecipient: true, timestampString: true, notAnObject: true, entryLikeEvent: true,
    kindNumber: m.base !== 'referral', noMid: m.base !== 'referral', textNumber: hasMessage, attachmentsObject: hasMessage,
    deepText: hasMessage, customerIsBusiness: STORES.has(m.base),
  }
  const broken = m.broken === null ? null : applicable[m.broken] ? m.broken : 'senderNull'
  const stores = STORES.has(m.base)
  switch (broken) {
    case null: return { event, mid: stores ? mid : null, valid: true }
    case 'senderNull': event.sender = null; break
    case 'senderIdNumber': event.sender = { id: Number(m.base === 'echo' ? IG : customer) }; break
    case 'noRecipient': delete event.recipient; break
    case 'timestampString': event.timestamp = String(event.timestamp); break
    case 'kindNumber': event[kind] = 42; break
    case 'noMid': delete (event[kind] as Record<string, unknown>).mid; break
    case 'textNumber': (event.message as Record<string, unknown>).text = 4111; break
    case 'attachmentsObject': (event.message as Record<string, unknown>).attachments = { type: 'image' }; break
    case 'deepText':
      deeps.push(Math.max(m.deep, 3))
      ;(event.message as Record<string, unknown>).text = DEEP(deeps.length - 1)
      break
    case 'customerIsBusiness': event.sender = { id: IG }; event.recipient = { id: IG }; break
    case 'notAnObject': return { event: m.junk, mid: stores ? mid : null, valid: false }
    case 'entryLikeEvent': return { event: { id: IG, time: T, messaging: [event] }, mid: stores ? mid : null, valid: false }
  }
  return { event, mid: stores ? mid : null, valid: false }
}

function build(p: PayloadModel): Built {
  const deeps: number[] = []
  const refused: string[] = []
  const stores: string[] = []
  const never: string[] = []
  let accepted = 0
  let hugeLeft = p.huge
  const entries = p.entries.map((e: EntryModel, i) => {
    const events = e.events.map((m) => {
      let text = m.text
      if (hugeLeft > 0 && WITH_MESSAGE.has(m.base) && m.base !== 'unsend') {
        text = 'x'.repeat(Math.min(p.huge, 99_000))
        hugeLeft = 0
      }
      return buildEvent(m, text, deeps)
    })
    const entry: Record<string, unknown> = withExtras({ id: IG, time: T, [e.list]: events.map((b) => b.event) }, e.extras)
    if (e.broken !== null) {
      refused.push(`entry[${i}]`)
      for (const b of events) if (b.mid) never.push(b.mid)
      switch (e.broken) {
        case 'idNumber': entry.id = Number(IG); break
        case 'timeString': entry.time = String(T); break
        case 'messagingObject': entry[e.list] = { ...events.map((b) => b.event) }; break
        case 'noId': delete entry.id; break
        case 'notAnObject': return [entry]
      }
      return entry
    }
    events.forEach((b, j) => {
      if (b.valid) {
        accepted++
        if (b.mid) stores.push(b.mid)
      } else {
        refused.push(`entry[${i}].${e.list}[${j}]`)
        if (b.mid) never.push(b.mid)
      }
    })
    return entry
  })
  const payload: Record<string, unknown> = withExtras({ object: 'instagram', entry: entries }, p.extras)
  if (p.huge > 0) payload.meta_padding = 'x'.repeat(p.huge)
  if (p.broken === 'object') payload.object = 'page'
  else if (p.broken === 'noEntry') delete payload.entry
  else if (p.broken === 'entryObject') payload.entry = { ...entries }
  let body = JSON.stringify(payload)
  if (deeps.some((depth) => depth >= 10_000)) seen.deeplyNested++
  if (p.huge > 0) seen.huge++
  if (body.includes('"__proto__"') || body.includes('"constructor"')) seen.protoKeys++
  if (p.broken === 'truncate') seen.truncated++
  deeps.forEach((depth, n) => (body = body.replace(`"${DEEP(n)}"`, `${'['.repeat(depth)}"deep"${']'.repeat(depth)}`)))

  const refuseAll = (status: number): Built => ({ body, status, refused: [], accepted: 0, stores: [], never: [...never, ...stores] })
  if (p.broken !== null) {
    switch (p.broken) {
      case 'truncate': body = body.slice(0, Math.floor(p.cut * body.length)); break
      case 'notJson': body = `\u0000${body}`; break
      case 'array': body = `[${body}]`; break
    }
  }
  if (Buffer.byteLength(body) > DEFAULT_MAX_BODY_BYTES) {
    seen.tooLarge++
    return refuseAll(413)
  }
  if (p.broken !== null) return refuseAll(400)
  if (refused.length > 0 && accepted === 0) return { ...refuseAll(400), refused }
  return { body, status: 200, refused, accepted, stores, never }
}

// ---- the receiver as Parley runs it: HTTP server, ingest, SQLite on disk ----------------------

let dir: string
let store: Store
let server: RunningWebhookServer
const changes: InboxChange[] = []
const { log, lines } = memoryLog()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-webhook-property-'))
  store = openStore(join(dir, STORE_FILE_NAME))
  const target = { integrationId: 'integration-nordlicht', pageId: '101', storyMentions: true, storyReplies: true }
  const directory: IntegrationDirectory = { byInstagramAccount: (id) => (id === IG ? target : null), pageToken: async () => null }
  const ingest = createIngest({ store, directory, graph: () => null, log, onChange: (c) => changes.push(c), assignee: 'local' })
  const receiver = createWebhookReceiver({ appSecret: async () => SECRET, verifyToken: 'property-verify-token', log, onPayload: (p) => ingest.webhook(p) })
  server = await startWebhookServer({ receiver })
})

afterAll(async () => {
  await server?.close()
  store?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function post(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) }, body })
  return { status: response.status, text: await response.text() }
}

const prototypeKeys = () => [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join())

describe('any signed body (X4, property)', () => {
  it('gets no 5xx, pollutes no prototype, is refused exactly where it does not match, and stores every valid message once', { timeout: 120_000 }, async () => {
    const prototypesBefore = prototypeKeys()
    const expectedStored = new Set<string>()
    const neverStored = new Set<string>()
    let posted = 0
    const started = performance.now()

    await fc.assert(
      fc.asyncProperty(fc.array(payloadModel, { minLength: PAYLOADS_PER_RUN, maxLength: PAYLOADS_PER_RUN }), async (models) => {
        const built = models.map(build)
        const sends = [...built, ...built.slice(0, REPLAYS_PER_RUN)]
        const answers: { status: number; text: string }[] = []
        for (let i = 0; i < sends.length; i += CONCURRENCY) answers.push(...(await Promise.all(sends.slice(i, i + CONCURRENCY).map((b) => post(b.body)))))
        posted += sends.length

        sends.forEach((b, i) => {
          const got = answers[i]!
          expect(got.status).toBeLessThan(500)
          expect(got.status).toBe(b.status)
          if (b.refused.length > 0) {
            const answer = JSON.parse(got.text) as { accepted: number; refusedCount: number; refused: { at: string; reason: string }[] }
            expect(answer.refusedCount).toBe(b.refused.length)
            expect(answer.accepted).toBe(b.accepted)
            expect(answer.refused.map((r) => r.at)).toEqual(b.refused.slice(0, MAX_LISTED_REFUSALS))
          } else if (b.status === 200) {
            expect(got.text).toBe('EVENT_RECEIVED')
          }
          for (const mid of b.stores) expectedStored.add(mid)
          for (const mid of b.never) neverStored.add(mid)
        })
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: RUNS, endOnFailure: true },
    )

    // No pollution, anywhere, after all of it.
    expect(prototypeKeys()).toEqual(prototypesBefore)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.create(null).polluted).toBeUndefined()

    // Every valid message stored, each once (one stored change per mid); nothing refused stored.
    const storedChanges = new Map<string, number>()
    for (const c of changes) if (c.kind === 'message' && c.mid) storedChanges.set(c.mid, (storedChanges.get(c.mid) ?? 0) + 1)
    for (const mid of expectedStored) {
      expect(storedChanges.get(mid), mid).toBe(1)
      expect(await store.messages.get(mid), mid).not.toBeNull()
    }
    for (const mid of neverStored) expect(await store.messages.get(mid), mid).toBeNull()
    expect([...storedChanges.keys()].filter((mid) => !expectedStored.has(mid))).toEqual([])

    // The envelope check leaves nothing for ingest to skip: what passes it, ingest can read.
    expect(lines.filter((l) => l.startsWith('warn a malformed webhook event was skipped'))).toEqual([])
    // Refusals are logged without content: texts generated here never reach the log.
    expect(lines.filter((l) => l.includes('secret-') || l.includes('"deep"') || l.includes(SECRET))).toEqual([])

    expect(posted).toBe(RUNS * (PAYLOADS_PER_RUN + REPLAYS_PER_RUN))
    expect(expectedStored.size).toBeGreaterThan(5_000)
    for (const [shape, count] of Object.entries(seen)) expect(count, shape).toBeGreaterThan(0)
    console.info(`webhook property: ${posted} bodies (${RUNS * PAYLOADS_PER_RUN} generated), ${expectedStored.size} messages stored once, ${neverStored.size} refused mids, ${JSON.stringify(seen)}, ${Math.round(performance.now() - started)} ms`)
  })
})
