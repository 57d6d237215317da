import { z } from 'zod'

// The "Sandbox" view (sandbox mode only): a person acts as a customer and moves the clock. Main
// forwards these to the sandbox's control API, which the window cannot reach itself.

export const SandboxPanelState = z.object({
  now: z.string(),
  accounts: z.array(z.object({ id: z.string(), username: z.string(), pageName: z.string() })),
  customers: z.array(z.object({ id: z.string(), name: z.string(), username: z.string(), private: z.boolean() })),
  /** The customers' latest messages, newest first: what "Unsend" and "React" can pick from. */
  recentCustomerMessages: z.array(z.object({ mid: z.string(), from: z.string(), to: z.string(), preview: z.string(), at: z.string() })),
})
export type SandboxPanelState = z.infer<typeof SandboxPanelState>

const Parties = { to: z.string().min(1), from: z.string().min(1) }
export const SandboxAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('text'), ...Parties, text: z.string().min(1).max(2000) }).strict(),
  z.object({ action: z.literal('image'), ...Parties }).strict(),
  z.object({ action: z.literal('story_mention'), ...Parties }).strict(),
  z.object({ action: z.literal('story_reply'), ...Parties, text: z.string().min(1).max(2000) }).strict(),
  z.object({ action: z.literal('unsend'), mid: z.string().min(1) }).strict(),
  z.object({ action: z.literal('react'), mid: z.string().min(1), reaction: z.enum(['love', 'like', 'laugh', 'wow', 'sad', 'angry']).nullable() }).strict(),
])
export type SandboxAction = z.infer<typeof SandboxAction>

export const SandboxActionResult = z.object({
  /** False when Instagram would not deliver it (a private account's story mention, as on Meta). */
  delivered: z.boolean(),
  note: z.string().nullable(),
})

export const ClockAdvance = z.object({ advance: z.string().regex(/^(\d+[smhd])+$/, 'Use a duration such as 25h, 6d23h or 30m.') }).strict()
