// X4: Meta's webhook envelope (meta-platform.md §5) as a schema, checked before anything is stored.
// Strict about the types of every field Parley reads (ids are strings, times are epoch numbers,
// `sender` / `message` / … are objects), tolerant of fields and event kinds Meta may add (loose
// objects; unknown kinds are ignored later). Checked in three levels so that one bad part costs
// only itself: the payload (object, entry list), each entry (account id, time, its lists), each
// event. Refusals name the place and the expected type — never a value from the payload: zod's
// messages name types only, and its paths hold only this schema's keys and list indexes.
import { z } from 'zod'
import { MAX_ID, MAX_TEXT } from './values.ts'

export interface Refusal {
  /** Where, e.g. `entry[0].messaging[2]`; `payload` for the whole body. */
  at: string
  /** What was wrong, e.g. `sender: expected object, received null`. */
  reason: string
}

/** The payload with only the parts that passed: what ingest may read. */
export interface CheckedPayload {
  object: 'instagram'
  entry: Record<string, unknown>[]
}

export type EnvelopeCheck =
  | { ok: false; refused: Refusal[] }
  | { ok: true; payload: CheckedPayload; accepted: number; refused: Refusal[] }

const nonBlank = (s: string) => s.trim() !== ''
const Id = z.string().max(MAX_ID).refine(nonBlank, 'expected a non-empty id')
const Label = z.string().max(64).refine(nonBlank, 'expected a non-empty string')
/** Epoch ms as Meta sends it (a number); seconds are read as such later. */
const EpochMs = z.number().min(0).max(8.64e15)
const Party = z.looseObject({ id: Id })

const Attachment = z.looseObject({
  type: Label,
  // `ephemeral` attachments come without payload or URL.
  payload: z.looseObject({ url: z.string().nullish() }).nullish(),
})

const Message = z.looseObject({
  mid: Id,
  text: z.string().max(MAX_TEXT).nullish(),
  attachments: z.array(Attachment).nullish(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  quick_reply: z.looseObject({ payload: z.string() }).optional(),
  reply_to: z.looseObject({
    mid: Id.optional(),
    story: z.looseObject({ id: Id.optional(), url: z.string().optional() }).optional(),
  }).optional(),
})

const Reaction = z.looseObject({
  mid: Id,
  action: z.enum(['react', 'unreact']),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
})

// Messenger's older form names a watermark instead of a message.
const Read = z.looseObject({ mid: Id.optional(), watermark: z.number().optional() })
  .refine((read) => read.mid !== undefined || read.watermark !== undefined, 'expected mid or watermark')

const Postback = z.looseObject({ mid: Id.optional(), title: z.string().optional(), payload: z.string().optional() })

/** One event of `messaging[]` / `standby[]` (or a test event's `changes[].value`). */
export const WebhookEvent = z.looseObject({
  sender: Party,
  recipient: Party,
  timestamp: EpochMs,
  message: Message.optional(),
  reaction: Reaction.optional(),
  read: Read.optional(),
  postback: Postback.optional(),
})

const EventList = z.array(z.unknown())

export const WebhookEntry = z.looseObject({
  id: Id,
  time: EpochMs,
  messaging: EventList.optional(),
  standby: EventList.optional(),
  changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional(),
})

export const WebhookEnvelope = z.looseObject({
  object: z.literal('instagram'),
  entry: z.array(z.unknown()),
})

/** The `changes[].field`s whose value is a messaging event (the App Dashboard's test events). */
export const CHANGE_FIELDS: ReadonlySet<string> = new Set(['messages', 'message_reactions', 'messaging_seen', 'messaging_postbacks'])

/** At most this many refusals are listed (in the answer and the log); the count is always given. */
export const MAX_LISTED_REFUSALS = 50
const MAX_ISSUES_PER_PART = 3

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('')
}

function reasonOf(error: z.ZodError): string {
  const reasons = error.issues.slice(0, MAX_ISSUES_PER_PART).map((issue) => {
    const what = issue.message.replace(/^Invalid (input|option): /, '')
    const where = pathOf(issue.path)
    return where === '' ? what : `${where}: ${what}`
  })
  const more = error.issues.length - MAX_ISSUES_PER_PART
  return more > 0 ? `${reasons.join('; ')}; and ${more} more` : reasons.join('; ')
}

/** The semantic rule the schema cannot see alone: the customer is never the business account. */
function customerProblem(event: z.infer<typeof WebhookEvent>, igAccountId: string): string | null {
  const business = igAccountId.trim()
  const sender = event.sender.id.trim()
  const recipient = event.recipient.id.trim()
  if (event.message && event.message.is_deleted !== true) {
    const echo = event.message.is_echo === true || sender === business
    if ((echo ? recipient : sender) === business) return 'the customer side is the business account itself'
  } else if (!event.message && event.postback?.mid !== undefined && sender === business) {
    return 'the customer side is the business account itself'
  }
  return null
}

function checkEvent(value: unknown, igAccountId: string): string | null {
  const parsed = WebhookEvent.safeParse(value)
  if (!parsed.success) return reasonOf(parsed.error)
  return customerProblem(parsed.data, igAccountId)
}

/**
 * Checks a parsed webhook body against Meta's envelope. `ok: false` when the body as a whole is
 * not an `instagram` payload with an entry list; otherwise the payload reduced to the entries and
 * events that passed (`accepted` events), and what was refused. The kept parts are the input's own
 * objects, not copies: nothing in them is interpreted here.
 */
export function checkWebhookEnvelope(input: unknown): EnvelopeCheck {
  const envelope = WebhookEnvelope.safeParse(input)
  if (!envelope.success) return { ok: false, refused: [{ at: 'payload', reason: reasonOf(envelope.error) }] }
  const refused: Refusal[] = []
  const entries: Record<string, unknown>[] = []
  let accepted = 0
  envelope.data.entry.forEach((raw, e) => {
    const entry = WebhookEntry.safeParse(raw)
    if (!entry.success) {
      refused.push({ at: `entry[${e}]`, reason: reasonOf(entry.error) })
      return
    }
    const rawEntry = raw as Record<string, unknown>
    const kept: Record<string, unknown> = { ...rawEntry }
    for (const list of ['messaging', 'standby'] as const) {
      const events = entry.data[list]
      if (events === undefined) continue
      kept[list] = events.filter((event, i) => {
        const problem = checkEvent(event, entry.data.id)
        if (problem !== null) refused.push({ at: `entry[${e}].${list}[${i}]`, reason: problem })
        return problem === null
      })
      accepted += (kept[list] as unknown[]).length
    }
    const changes = entry.data.changes
    if (changes !== undefined) {
      kept.changes = (rawEntry.changes as unknown[]).filter((raw, i) => {
        if (!CHANGE_FIELDS.has(changes[i]!.field)) return true
        const problem = checkEvent((raw as { value?: unknown }).value, entry.data.id)
        if (problem !== null) refused.push({ at: `entry[${e}].changes[${i}].value`, reason: problem })
        else accepted++
        return problem === null
      })
    }
    entries.push(kept)
  })
  return { ok: true, payload: { object: 'instagram', entry: entries }, accepted, refused }
}
