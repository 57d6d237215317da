import { z } from 'zod'
import { MAX_PROFILE_BYTES, MAX_PROFILE_NAME_LENGTH, MAX_PROFILE_TYPES, MIME_TYPE_PATTERN } from './contentProfileLimits.ts'
import { WEBHOOK_CALLBACK_PATH, webhookAddressProblem } from './webhookAddress.ts'

// Payloads of the supervisor's integration commands (S1–S13). No token, secret or story URL
// appears in any of them: main keeps those in the keychain.

/** Something that went wrong, with a stable `code` the window translates; `message` is the English text. */
export const Problem = z.object({
  code: z.string(),
  message: z.string(),
  remedy: z.string().nullable(),
  /** Values the translated text names, e.g. `names` of the integrations concerned. */
  params: z.record(z.string(), z.string()).optional(),
})
export type Problem = z.infer<typeof Problem>

export const IntegrationHealth = z.object({
  /** null until checked. */
  tokenValid: z.boolean().nullable(),
  /** ISO time the page token expires; null when it never does or is unknown (see tokenNeverExpires). */
  tokenExpiresAt: z.string().nullable(),
  tokenNeverExpires: z.boolean(),
  checkedAt: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  webhook: z.enum(['subscribed', 'not_subscribed', 'unknown']),
  /** Highest rate-limit usage Meta reported for this page or account, in percent. */
  rateLimitPercent: z.number().nullable(),
})
export type IntegrationHealth = z.infer<typeof IntegrationHealth>

export const Integration = z.object({
  id: z.string(),
  name: z.string(),
  pageId: z.string(),
  pageName: z.string(),
  instagram: z.object({ id: z.string(), username: z.string() }),
  status: z.enum(['active', 'disconnected']),
  /** Why it is disconnected (S11). */
  problem: Problem.nullable(),
  contentProfileId: z.string(),
  storyMentions: z.boolean(),
  storyReplies: z.boolean(),
  createdAt: z.string(),
  health: IntegrationHealth,
})
export type Integration = z.infer<typeof Integration>

export const IntegrationName = z.string().trim().min(1, 'Give the integration a name.').max(80, 'Keep the name under 80 characters.')

/** A Facebook Page the person who logged in manages, as the setup form offers it (S4, S6). */
export const PageChoice = z.object({
  id: z.string(),
  name: z.string(),
  instagram: z.object({ id: z.string(), username: z.string() }).nullable(),
  selectable: z.boolean(),
  /** Why it cannot be chosen. */
  unavailable: z.enum(['no_linked_account', 'switch_not_confirmed', 'already_integrated']).nullable(),
  /** For `already_integrated`: the integration using it. */
  integrationName: z.string().nullable(),
})
export type PageChoice = z.infer<typeof PageChoice>

/** S2: the prerequisites, in the order they must be met. */
export const PrerequisiteId = z.enum(['page_published', 'ig_professional', 'ig_linked', 'permissions'])
export type PrerequisiteId = z.infer<typeof PrerequisiteId>
export const PrerequisiteCheck = z.object({
  id: PrerequisiteId,
  status: z.enum(['passed', 'failed', 'not_checked']),
  /** A stable code for what to do next; the window words it. */
  fix: z.string().nullable(),
  /** For `permissions`: the ones not granted. */
  missing: z.array(z.string()),
})
export type PrerequisiteCheck = z.infer<typeof PrerequisiteCheck>

export const SaveResult = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), integration: Integration }),
  z.object({ saved: z.literal(false), checks: z.array(PrerequisiteCheck) }),
])
export type SaveResult = z.infer<typeof SaveResult>

export const LoginPurpose = z.enum(['create', 'recreate'])

export const LoginStarted = z.object({
  loginId: z.string(),
  /** Browser host: the address the window opens in a popup. Desktop: null (main opens the login window). */
  popupUrl: z.string().nullable(),
})

export const LoginFinished = z.object({
  loginId: z.string(),
  outcome: z.enum(['ok', 'cancelled', 'refused', 'failed']),
  /** Who logged in, for "Logged in as …". */
  person: z.string().nullable(),
  pages: z.array(PageChoice),
  problem: Problem.nullable(),
})
export type LoginFinished = z.infer<typeof LoginFinished>

export const MimePattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(MIME_TYPE_PATTERN, 'Use a MIME type such as image/png, or a wildcard such as image/*.')

export { MAX_PROFILE_BYTES, WEBHOOK_CALLBACK_PATH }

/** S8: what a content profile allows, checked where it enters main. */
export const ContentProfileFields = z.object({
  name: z.string().trim().min(1, 'Give the profile a name.').max(MAX_PROFILE_NAME_LENGTH),
  inbound: z.array(MimePattern).max(MAX_PROFILE_TYPES),
  outbound: z.array(MimePattern).max(MAX_PROFILE_TYPES),
  /** Largest attachment, in bytes; Instagram's own limits still apply on top. */
  maxBytes: z.number().int().positive().max(MAX_PROFILE_BYTES, 'Instagram accepts at most 25 MB.'),
})

export const ContentProfileView = ContentProfileFields.extend({
  id: z.string(),
  builtIn: z.boolean(),
  /** Names of the integrations using it: a profile in use cannot be deleted. */
  usedBy: z.array(z.string()),
})
export type ContentProfileView = z.infer<typeof ContentProfileView>

export const ContentProfileDraft = ContentProfileFields.extend({ id: z.string().optional() }).strict()

export const MetaAppView = z.object({
  mode: z.enum(['sandbox', 'live']),
  /** The supervisor's own app (live mode); null while the sandbox's app is used. */
  appId: z.string().nullable(),
  secretStored: z.boolean(),
  /** Where secrets live, so the window can warn when it is not the OS keychain. */
  secretStore: z.enum(['keychain', 'safe-storage', 'memory', 'server-key']),
})
export type MetaAppView = z.infer<typeof MetaAppView>

export const MetaAppInput = z.object({
  appId: z.string().trim().regex(/^\d{5,20}$/, 'An App ID is a number, as shown in the Meta App Dashboard.'),
  appSecret: z.string().trim().regex(/^[0-9a-f]{32}$/i, 'An App Secret is 32 letters and digits, as shown under App settings → Basic.'),
}).strict()

const WEBHOOK_ADDRESS_MESSAGES = {
  format: 'Enter an address such as https://parley.example.com.',
  https: 'Use an https:// address: Meta calls webhooks over HTTPS only (http:// is accepted for 127.0.0.1 and localhost).',
  path: `Enter the address only, without a path, query or user name: Parley adds ${WEBHOOK_CALLBACK_PATH} itself.`,
} as const

/** The public address as typed → its origin; empty → null (no webhook: Parley polls). */
export const WebhookAddress = z
  .string()
  .trim()
  .max(2000, WEBHOOK_ADDRESS_MESSAGES.format)
  .transform((value, ctx) => {
    if (value === '') return null
    const problem = webhookAddressProblem(value)
    if (problem) {
      ctx.addIssue({ code: 'custom', message: WEBHOOK_ADDRESS_MESSAGES[problem] })
      return z.NEVER
    }
    return new URL(value).origin
  })

export const WEBHOOK_PORT_MESSAGE = 'Use a port from 1024 to 65535.'
export const WebhookPort = z.number({ error: WEBHOOK_PORT_MESSAGE }).int(WEBHOOK_PORT_MESSAGE).min(1024, WEBHOOK_PORT_MESSAGE).max(65535, WEBHOOK_PORT_MESSAGE)

/** Live mode's public webhook: the address a reverse proxy or tunnel forwards to the local port. */
export const WebhookInput = z.object({ publicUrl: WebhookAddress, port: WebhookPort }).strict()

export const WebhookView = z.object({
  /** The public address (an origin); null when none is set and Parley polls. */
  publicUrl: z.string().nullable(),
  /** The local port the receiver listens on: the proxy's fixed target. */
  port: z.number().int(),
  /** The interface it listens on: loopback unless the settings file names another. */
  host: z.string(),
  /** Set by PARLEY_WEBHOOK_URL / PARLEY_WEBHOOK_PORT: the window cannot change it. */
  fromEnvironment: z.boolean(),
  /** What to enter in Meta's App Dashboard (Webhooks → Instagram); null without an address. */
  callbackUrl: z.string().nullable(),
  verifyToken: z.string().nullable(),
  /** How messages arrive now. `sandbox`: the sandbox's webhook, on this machine. */
  receiving: z.enum(['sandbox', 'webhook', 'polling', 'starting']),
  /** What went wrong with the webhook, in plain words; receiving falls back to polling meanwhile. */
  problem: Problem.nullable(),
})
export type WebhookView = z.infer<typeof WebhookView>

export const INTEGRATION_PERMISSION = 'messaging:instagramIntegration:all'
