// Instagram's messaging windows, counted from the customer's last message on the sandbox clock:
// within 24 h any response; from 24 h to 7 days only MESSAGE_TAG + HUMAN_AGENT; after that nothing.
import { GraphError, graphErrors } from './errors.ts'

export const STANDARD_WINDOW_MS = 24 * 3_600_000
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3_600_000

export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG']

/** Validates messaging_type/tag and the window; throws Meta's error when the message may not be sent. */
export function checkWindow(lastInboundAt: number | undefined, now: number, messagingType: string, tag: string | undefined): void {
  if (!MESSAGING_TYPES.includes(messagingType)) {
    throw graphErrors.invalidParam(`Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG} - got "${messagingType}"`)
  }
  if (messagingType === 'MESSAGE_TAG') {
    if (!tag) throw new GraphError({ message: '(#100) Param tag is required when messaging_type is MESSAGE_TAG', code: 100 })
    if (tag !== 'HUMAN_AGENT') throw graphErrors.invalidParam(`Param tag must be one of {HUMAN_AGENT} on Instagram - got "${tag}"`)
  }
  if (lastInboundAt === undefined) throw graphErrors.outsideWindow()
  const elapsed = now - lastInboundAt
  const limit = messagingType === 'MESSAGE_TAG' ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS
  if (elapsed >= limit) throw graphErrors.outsideWindow()
}
