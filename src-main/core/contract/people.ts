import { z } from 'zod'

// Payloads of the people and sign-in commands (P2, P3, P5). A password goes one way, into main;
// no hash, session token or password ever comes back out.

export const ROLES = ['agent', 'supervisor'] as const

/** The person at a single workstation: every conversation there is theirs. */
export const LOCAL_AGENT = 'local'

/** R2: how many conversations an agent holds at once (alerting + accepted). */
export const MESSAGE_CAPACITY = { min: 1, max: 25, default: 4 } as const

export const PASSWORD_LENGTH = { min: 10, max: 200 } as const

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter a username.')
  .max(64, 'Keep the username under 64 characters.')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.')

export const Password = z
  .string()
  .min(PASSWORD_LENGTH.min, `Use at least ${PASSWORD_LENGTH.min} characters.`)
  .max(PASSWORD_LENGTH.max, `Use at most ${PASSWORD_LENGTH.max} characters.`)

export const PersonName = z.string().trim().min(1, 'Enter the person’s name.').max(200, 'Keep the name under 200 characters.')
export const Role = z.enum(ROLES, { error: 'Choose agent or supervisor.' })
export type Role = z.infer<typeof Role>
export const MessageCapacity = z
  .number()
  .int('Use a whole number.')
  .min(MESSAGE_CAPACITY.min, `Use ${MESSAGE_CAPACITY.min} to ${MESSAGE_CAPACITY.max}.`)
  .max(MESSAGE_CAPACITY.max, `Use ${MESSAGE_CAPACITY.min} to ${MESSAGE_CAPACITY.max}.`)

export const PersonView = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: Role,
  messageCapacity: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
})
export type PersonView = z.infer<typeof PersonView>

export const NewPersonInput = z
  .object({ username: Username, name: PersonName, role: Role, messageCapacity: MessageCapacity.default(MESSAGE_CAPACITY.default), password: Password })
  .strict()

export const PersonUpdate = z.object({ id: z.string().min(1).max(200), name: PersonName.optional(), role: Role.optional(), messageCapacity: MessageCapacity.optional() }).strict()

/** Who uses this window, and what they may do. */
export const SessionView = z.object({
  profile: Role,
  permissions: z.array(z.string()),
  person: z.object({ id: z.string(), name: z.string(), username: z.string().nullable() }),
  /** Signed in to a Parley server (team mode); false on a single workstation. */
  team: z.boolean(),
})
export type SessionView = z.infer<typeof SessionView>

/** The sign-in form (P3). The desktop app adds the server's address. */
export const SignInInput = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(PASSWORD_LENGTH.max) }).strict()
export type SignInInput = z.infer<typeof SignInInput>

/** Where this window's Parley works: this computer alone, or a team's Parley server (P1, P3). */
export const ConnectionView = z.object({
  /** `workstation`: This computer only. `team`: a Parley server, signed in or about to be. */
  mode: z.enum(['workstation', 'team']),
  /** The server's address in the desktop app; null in a browser (the server itself serves it) and on a workstation. */
  serverUrl: z.string().nullable(),
  signedIn: z.boolean(),
  /** Only the desktop app chooses between this computer and a server. */
  canChoose: z.boolean(),
})
export type ConnectionView = z.infer<typeof ConnectionView>

export const ServerAddress = z
  .string()
  .trim()
  .min(1, 'Enter the server’s address.')
  .max(2000)
  .transform((value, ctx) => {
    let url: URL
    try {
      url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Enter an address such as https://parley.example.com.' })
      return z.NEVER
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      ctx.addIssue({ code: 'custom', message: 'Use an https:// address (http:// only for 127.0.0.1 and localhost).' })
      return z.NEVER
    }
    return url.origin
  })

/** The desktop app's sign-in (P3): its main process signs in and keeps the session in the keychain. */
export const DesktopSignInInput = SignInInput.extend({ serverUrl: ServerAddress }).strict()

/** Why a window's session ended, so it can say so on the sign-in page. */
export const SessionEnded = z.object({ reason: z.enum(['signed_out', 'expired', 'deactivated', 'password_reset']) })
export type SessionEndReason = z.infer<typeof SessionEnded>['reason']
