// R1: an integration's rules, tried in order; the first that matches names the queue, else the
// integration's Default queue.
import type { RoutingRule } from '../contract/routing.ts'

export interface ArrivingMessage {
  /** The customer's words, when the message has any. */
  text: string | null
  /** The customer's Instagram username, when known. */
  senderUsername: string | null
  hasAttachment: boolean
}

const normalizeUsername = (name: string) => name.trim().replace(/^@/, '').toLowerCase()

export function ruleMatches(rule: RoutingRule, message: ArrivingMessage): boolean {
  switch (rule.kind) {
    case 'contains': {
      const text = message.text?.toLocaleLowerCase() ?? ''
      return rule.keywords.some((keyword) => text.includes(keyword.toLocaleLowerCase()))
    }
    case 'sender':
      return message.senderUsername !== null && rule.usernames.some((name) => normalizeUsername(name) === normalizeUsername(message.senderUsername!))
    case 'attachment':
      return message.hasAttachment
  }
}

export function chooseQueue(rules: { defaultQueueId: string; rules: RoutingRule[] }, message: ArrivingMessage): string {
  return rules.rules.find((rule) => ruleMatches(rule, message))?.queueId ?? rules.defaultQueueId
}
