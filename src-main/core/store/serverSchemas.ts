// What only the team server keeps in its database: shared settings, secrets sealed with the
// server's key (AES-256-GCM; the key itself is a file, never in the database), and the nodes alive.
import { z } from 'zod'
import { ids } from './schemas.ts'

export const SettingKey = z.string().trim().min(1).max(128)

export const SealedSecret = z.strictObject({
  /** What it is, e.g. `meta-app-secret` or `integration/<id>/page-token`. */
  name: z.string().min(1).max(512),
  /** Which key sealed it (a fingerprint of the key file), so rotation knows what to re-seal. */
  keyId: z.string().min(1).max(128),
  /** base64 */
  iv: z.string().min(1).max(64),
  /** base64 GCM authentication tag */
  tag: z.string().min(1).max(64),
  /** base64 */
  ciphertext: z.string().min(1).max(1_000_000),
  updatedAt: ids.epochMs,
})
export type SealedSecret = z.infer<typeof SealedSecret>

export const NodeBeat = z.strictObject({
  nodeId: ids.id,
  /** The address the node serves at, for diagnostics. */
  url: z.string().max(2000),
  startedAt: ids.epochMs,
  at: ids.epochMs,
})
export type NodeBeat = z.infer<typeof NodeBeat>

export interface NodeRecord {
  nodeId: string
  url: string
  startedAt: number
  lastSeenAt: number
}

/** A file attached to a reply while it waits to be sent (A4): its description; the bytes are kept beside it. */
export const StagedFile = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{32}$/),
  conversationId: ids.id,
  /** The name the agent's file had (for people; never used as a path). */
  name: z.string().min(1).max(200),
  mime: z.string().min(1).max(255),
  type: z.enum(['image', 'video', 'audio', 'file']),
  size: z.number().int().positive(),
  stagedAt: ids.epochMs,
  /** The reply that sends it, once the agent pressed Send. */
  replyId: ids.id.nullable(),
})
export type StagedFile = z.infer<typeof StagedFile>
