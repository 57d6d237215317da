// Instagram's reaction names (v12+: love, like, laugh, wow, sad, angry, other) and their emoji.
// Webhooks carry both; Graph's `reactions` field carries one value, often only the emoji, so the
// other half is looked up here.
import { labelOf } from './values.ts'

const EMOJI: Record<string, string> = {
  love: '\u2764\ufe0f', like: '\ud83d\udc4d', laugh: '\ud83d\ude02', wow: '\ud83d\ude2e', sad: '\ud83d\ude22', angry: '\ud83d\ude21',
}

/** A name or an emoji → both; anything else is Instagram's `other` with the value as its emoji. */
export function reactionOf(value: unknown): { reaction: string; emoji: string | null } | null {
  const label = labelOf(value)
  if (!label) return null
  if (EMOJI[label]) return { reaction: label, emoji: EMOJI[label] }
  const bare = label.replace(/\ufe0f/g, '')
  const named = Object.entries(EMOJI).find(([, emoji]) => emoji.replace(/\ufe0f/g, '') === bare)
  if (named) return { reaction: named[0], emoji: named[1] }
  return /^[a-z_]+$/.test(label) ? { reaction: label, emoji: null } : { reaction: 'other', emoji: label }
}
