// A3: which reply Instagram allows, counted from the customer's last message. Pure: the composer
// (through the inbox view) and the sender in main both ask this, so they can never disagree.
import type { ReplyWindowView } from '../../contract/inbox.ts'
import type { Problem } from '../../contract/integrations.ts'

const HOUR_MS = 3_600_000
export const STANDARD_WINDOW_MS = 24 * HOUR_MS
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS
/** A conversation is flagged when less than this is left in its current window. */
export const NEAR_DEADLINE_MS = HOUR_MS

export type WindowClosedCode = 'window_closed' | 'no_customer_message'

export type ReplyWindow =
  | { kind: 'standard'; messagingType: 'RESPONSE'; tag: null; endsAt: number }
  | { kind: 'human_agent'; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT'; endsAt: number }
  | { kind: 'closed'; reason: Problem & { code: WindowClosedCode } }

const CLOSED: Record<WindowClosedCode, Problem & { code: WindowClosedCode }> = {
  window_closed: {
    code: 'window_closed',
    message: "The customer's last message is 7 days old or older: Instagram no longer allows a reply.",
    remedy: 'The conversation can be answered again once the customer writes.',
  },
  no_customer_message: {
    code: 'no_customer_message',
    message: 'The customer has not written to the business: Instagram allows replies only to conversations the customer started.',
    remedy: 'The conversation can be answered once the customer writes.',
  },
}

/**
 * < 24 h standard (RESPONSE); 24 h to < 7 d human agent (MESSAGE_TAG + HUMAN_AGENT); ≥ 7 d closed,
 * as Meta counts them (the sandbox refuses RESPONSE at exactly 24 h). A customer message stamped
 * ahead of this clock counts as just now.
 */
export function replyWindow(lastCustomerMessageAt: number | null, now: number): ReplyWindow {
  if (lastCustomerMessageAt === null) return { kind: 'closed', reason: CLOSED.no_customer_message }
  const elapsed = Math.max(0, now - lastCustomerMessageAt)
  if (elapsed < STANDARD_WINDOW_MS) {
    return { kind: 'standard', messagingType: 'RESPONSE', tag: null, endsAt: lastCustomerMessageAt + STANDARD_WINDOW_MS }
  }
  if (elapsed < HUMAN_AGENT_WINDOW_MS) {
    return { kind: 'human_agent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', endsAt: lastCustomerMessageAt + HUMAN_AGENT_WINDOW_MS }
  }
  return { kind: 'closed', reason: CLOSED.window_closed }
}

/** What the countdown shows: time left in the current window, and whether it is nearly over. */
export function windowCountdown(window: ReplyWindow, now: number): { timeLeftMs: number; nearDeadline: boolean } {
  if (window.kind === 'closed') return { timeLeftMs: 0, nearDeadline: false }
  const timeLeftMs = Math.max(0, window.endsAt - now)
  return { timeLeftMs, nearDeadline: timeLeftMs < NEAR_DEADLINE_MS }
}

/**
 * Everything the inbox shows about the window, in the shape the inbox service takes
 * (`InboxServiceDeps.replyWindow`): the contract view, the composer's problem and the messaging type.
 */
export function replyWindowState(lastCustomerMessageAt: number | null, now: number) {
  const window = replyWindow(lastCustomerMessageAt, now)
  const { timeLeftMs, nearDeadline } = windowCountdown(window, now)
  if (window.kind === 'closed') {
    const view: ReplyWindowView = { kind: window.reason.code === 'no_customer_message' ? 'none' : 'closed', endsAt: null, nearDeadline: false }
    return { window, view, timeLeftMs, problem: window.reason as Problem, messagingType: null }
  }
  const view: ReplyWindowView = { kind: window.kind, endsAt: new Date(window.endsAt).toISOString(), nearDeadline }
  return { window, view, timeLeftMs, problem: null, messagingType: window.messagingType }
}
