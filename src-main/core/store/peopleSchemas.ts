// People, their sign-in sessions and sign-in throttling (P2, P3). A password is stored only as the
// hash core made of it; a session only as the hash of its token.
import { z } from 'zod'
import { MESSAGE_CAPACITY, ROLES, type Role } from '../contract/people.ts'
import { ids } from './schemas.ts'

export { MESSAGE_CAPACITY, ROLES, type Role }

const username = z.string().trim().toLowerCase().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'letters, digits, dot, dash and underscore')
const capacity = z.number().int().min(MESSAGE_CAPACITY.min).max(MESSAGE_CAPACITY.max)
const passwordHash = z.string().min(16).max(1024)

export const NewPerson = z.strictObject({
  id: ids.id.optional(),
  /** Kept in lower case: sign-in ignores case. Unique. */
  username,
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  messageCapacity: capacity.default(MESSAGE_CAPACITY.default),
  passwordHash,
})
export type NewPerson = z.input<typeof NewPerson>

export const PersonChanges = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(ROLES).optional(),
  messageCapacity: capacity.optional(),
  /** The window's language and theme, per person on the team server. Opaque to the store. */
  preferences: z.record(z.string(), z.unknown()).optional(),
})
export type PersonChanges = z.input<typeof PersonChanges>

export interface Person {
  id: string
  username: string
  name: string
  role: Role
  messageCapacity: number
  preferences: Record<string, unknown>
  active: boolean
  createdAt: number
  deactivatedAt: number | null
}

export const SESSION_CLIENTS = ['browser', 'desktop'] as const
export type SessionClient = (typeof SESSION_CLIENTS)[number]

export const NewSession = z.strictObject({
  /** SHA-256 of the token, hex. The token itself is never stored. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  personId: ids.id,
  client: z.enum(SESSION_CLIENTS),
  /** Where the sign-in came from, for the person's list of sessions. */
  address: z.string().max(200).nullable(),
  at: ids.epochMs,
})
export type NewSession = z.input<typeof NewSession>

export interface SessionRecord {
  tokenHash: string
  personId: string
  client: SessionClient
  address: string | null
  createdAt: number
  lastSeenAt: number
}

/** Failed sign-ins counted per key (`account:<username>`, `address:<ip>`) and the lock they lead to. */
export const ThrottlePolicy = z.strictObject({
  /** Failures older than this no longer count. */
  windowMs: z.number().int().positive(),
  /** This many failures within the window lock the key… */
  lockAfter: z.number().int().positive(),
  /** …for this long. */
  lockMs: z.number().int().positive(),
})
export type ThrottlePolicy = z.infer<typeof ThrottlePolicy>

export interface ThrottleState {
  key: string
  failures: number
  firstFailureAt: number
  /** Epoch ms until which sign-in is refused for this key; null when not locked. */
  lockedUntil: number | null
}
