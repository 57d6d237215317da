// Webhook payload → domain events (meta-platform.md §5). `messaging` and `standby` arrays (and the
// App Dashboard's test events in `changes`) are read alike. A malformed event becomes a problem
// described without its content; the rest of the payload is still used (X4). Webhook bodies reach
// this only after webhookEnvelope.ts has refused what does not match Meta's types; the checks here
// stay for every other caller.
import type { Attachment } from '../../store/index.ts'
import { classify } from './classify.ts'
import type { InboundEvent } from './events.ts'
import { epochMsOf, idOf, isRecord, labelOf, MAX_ATTACHMENTS, MAX_TEXT, urlOf } from './values.ts'
import { CHANGE_FIELDS } from './webhookEnvelope.ts'

export interface NormalizedPayload {
  /** Per Instagram account (`entry[].id`), in payload order. */
  entries: { igAccountId: string; events: InboundEvent[] }[]
  /** Skipped malformed parts, e.g. `entry 0, messaging 2: message without mid` — never content. */
  problems: string[]
  /** Well-formed events Parley does not use (referrals, opt-ins, old-style read watermarks). */
  ignored: number
}

type Outcome = InboundEvent | { problem: string } | { ignored: true }

export function normalizeWebhookPayload(payload: unknown): NormalizedPayload {
  const result: NormalizedPayload = { entries: [], problems: [], ignored: 0 }
  const entries = isRecord(payload) && Array.isArray(payload.entry) ? payload.entry : []
  entries.forEach((entry, e) => {
    const igAccountId = isRecord(entry) ? idOf(entry.id) : null
    if (!isRecord(entry) || !igAccountId) {
      result.problems.push(`entry ${e}: no Instagram account id`)
      return
    }
    const events: InboundEvent[] = []
    const raw: [string, unknown][] = []
    for (const list of ['messaging', 'standby'] as const) {
      if (entry[list] === undefined) continue
      if (!Array.isArray(entry[list])) result.problems.push(`entry ${e}: ${list} is not a list`)
      else entry[list].forEach((event, i) => raw.push([`${list} ${i}`, event]))
    }
    if (Array.isArray(entry.changes)) {
      entry.changes.forEach((change, i) => {
        if (isRecord(change) && typeof change.field === 'string' && CHANGE_FIELDS.has(change.field)) raw.push([`changes ${i}`, change.value])
        else result.ignored++
      })
    }
    for (const [where, event] of raw) {
      const outcome = normalizeEvent(event, igAccountId, epochMsOf(entry.time))
      if ('problem' in outcome) result.problems.push(`entry ${e}, ${where}: ${outcome.problem}`)
      else if ('ignored' in outcome) result.ignored++
      else events.push(outcome)
    }
    result.entries.push({ igAccountId, events })
  })
  return result
}

function normalizeEvent(event: unknown, igAccountId: string, entryTime: number | null): Outcome {
  if (!isRecord(event)) return { problem: 'not an object' }
  const sender = isRecord(event.sender) ? idOf(event.sender.id) : null
  const recipient = isRecord(event.recipient) ? idOf(event.recipient.id) : null
  const at = event.timestamp === undefined ? entryTime : epochMsOf(event.timestamp)
  if (at === null) return { problem: 'no valid timestamp' }

  if (event.message !== undefined) return messageEvent(event.message, { igAccountId, sender, recipient, at })
  if (event.reaction !== undefined) return reactionEvent(event.reaction, igAccountId, at)
  if (event.read !== undefined) {
    if (!isRecord(event.read)) return { problem: 'read is not an object' }
    const mid = idOf(event.read.mid)
    // Messenger's older `watermark` form names no message: nothing to mark.
    return mid ? { type: 'seen', igAccountId, mid, at } : event.read.watermark !== undefined ? { ignored: true } : { problem: 'read without mid' }
  }
  if (event.postback !== undefined) return postbackEvent(event.postback, { igAccountId, sender, recipient, at })
  return { ignored: true }
}

interface Parties {
  igAccountId: string
  sender: string | null
  recipient: string | null
  at: number
}

/** The customer is the other side: the sender of an inbound message, the recipient of an echo. */
function customerOf(parties: Parties, echo: boolean): string | { problem: string } {
  const customer = echo ? parties.recipient : parties.sender
  if (!customer) return { problem: echo ? 'echo without recipient id' : 'message without sender id' }
  if (customer === parties.igAccountId) return { problem: 'the customer side is the business account itself' }
  return customer
}

function messageEvent(message: unknown, parties: Parties): Outcome {
  if (!isRecord(message)) return { problem: 'message is not an object' }
  const mid = idOf(message.mid)
  if (!mid) return { problem: 'message without mid' }
  const { igAccountId, at } = parties
  if (message.is_deleted === true) return { type: 'withdraw', igAccountId, mid, at }

  const echo = message.is_echo === true || (parties.sender !== null && parties.sender === igAccountId)
  const customer = customerOf(parties, echo)
  if (typeof customer !== 'string') return customer

  let text: string | null = null
  if (message.text !== undefined && message.text !== null) {
    if (typeof message.text !== 'string') return { problem: 'text is not a string' }
    if (message.text.length > MAX_TEXT) return { problem: `text longer than ${MAX_TEXT} characters` }
    text = message.text === '' ? null : message.text
  }
  const attachments = attachmentsOf(message.attachments)
  if ('problem' in attachments) return attachments
  let storyReply: { id: string | null } | null = null
  let replyToMid: string | null = null
  if (message.reply_to !== undefined) {
    if (!isRecord(message.reply_to)) return { problem: 'reply_to is not an object' }
    replyToMid = idOf(message.reply_to.mid)
    if (isRecord(message.reply_to.story)) storyReply = { id: idOf(message.reply_to.story.id) }
  }
  const classified = classify({
    text, attachments: attachments.list, storyMention: attachments.storyMention, storyReply, isUnsupported: message.is_unsupported === true,
  })
  return {
    type: 'message', igAccountId, customerIgsid: customer, mid, direction: echo ? 'echo' : 'inbound',
    ...classified, replyToMid: classified.kind === 'story_mention' ? null : replyToMid, createdAt: at,
  }
}

function attachmentsOf(value: unknown): { list: Attachment[]; storyMention: boolean } | { problem: string } {
  if (value === undefined || value === null) return { list: [], storyMention: false }
  if (!Array.isArray(value)) return { problem: 'attachments is not a list' }
  const list: Attachment[] = []
  let storyMention = false
  for (const item of value) {
    const type = isRecord(item) ? labelOf(item.type) : null
    if (!isRecord(item) || !type) return { problem: 'an attachment without a type' }
    if (type === 'story_mention') {
      // A5: only the fact is kept; the CDN URL is not read at all.
      storyMention = true
      continue
    }
    if (list.length < MAX_ATTACHMENTS) list.push({ type, url: isRecord(item.payload) ? urlOf(item.payload.url) : null })
  }
  return { list, storyMention }
}

function reactionEvent(reaction: unknown, igAccountId: string, at: number): Outcome {
  if (!isRecord(reaction)) return { problem: 'reaction is not an object' }
  const mid = idOf(reaction.mid)
  if (!mid) return { problem: 'reaction without mid' }
  if (reaction.action === 'unreact') return { type: 'reaction', igAccountId, mid, reaction: null, at }
  if (reaction.action !== 'react') return { problem: 'reaction action is neither react nor unreact' }
  const emoji = labelOf(reaction.emoji)
  return { type: 'reaction', igAccountId, mid, reaction: { reaction: labelOf(reaction.reaction) ?? 'other', emoji }, at }
}

/** Icebreaker and button taps (v11+ carry a mid): shown as the button's title. */
function postbackEvent(postback: unknown, parties: Parties): Outcome {
  if (!isRecord(postback)) return { problem: 'postback is not an object' }
  const mid = idOf(postback.mid)
  if (!mid) return { ignored: true }
  const customer = customerOf(parties, false)
  if (typeof customer !== 'string') return customer
  const title = typeof postback.title === 'string' && postback.title !== '' ? postback.title.slice(0, MAX_TEXT) : null
  return {
    type: 'message', igAccountId: parties.igAccountId, customerIgsid: customer, mid, direction: 'inbound', kind: 'postback',
    text: title, attachments: null, replyToMid: null, storyId: null, createdAt: parties.at,
  }
}

