// What the store keeps of integrations (S1–S13) and content profiles (S8). No token is ever part
// of them: page tokens and the App Secret live in the keychain, or on the team server sealed in
// `sealed_secrets` (serverSchemas.ts).
import { z } from 'zod'
import { ContentProfileFields, Integration } from '../contract/integrations.ts'

/** An integration as stored: the contract's shape plus its tombstone. */
export const StoredIntegration = Integration.extend({
  /** S12: a deleted integration stays, so its conversations remain readable and marked. ISO time. */
  deletedAt: z.string().nullable(),
})
export type StoredIntegration = z.infer<typeof StoredIntegration>

/** The fields an update may change; the rest of the record stays as stored. */
export const IntegrationChanges = StoredIntegration.omit({ id: true, createdAt: true }).partial().strict()
export type IntegrationChanges = z.input<typeof IntegrationChanges>

/** A supervisor's content profile (the built-in default is not stored: it lives in code). */
export const StoredContentProfile = ContentProfileFields.extend({ id: z.string().trim().min(1).max(512) })
export type StoredContentProfile = z.infer<typeof StoredContentProfile>
