// The seed business: validated with zod so that a broken seed file fails loudly at start-up.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import defaultSeedJson from '../../resources/sandbox/seed.json' with { type: 'json' }

const numeric = z.string().regex(/^\d+$/)

const SeedSchema = z.object({
  app: z.object({ id: numeric, secret: z.string().min(16), name: z.string(), redirectUris: z.array(z.string()) }),
  users: z.array(z.object({ id: numeric, name: z.string(), email: z.string(), password: z.string() })).min(1),
  pages: z.array(
    z.object({
      id: numeric,
      name: z.string(),
      category: z.string(),
      published: z.boolean(),
      roles: z.array(z.object({ userId: numeric, tasks: z.array(z.string()) })),
      instagram: z
        .object({
          id: numeric,
          igId: numeric,
          username: z.string(),
          name: z.string(),
          biography: z.string().default(''),
          website: z.string().optional(),
          followersCount: z.number().int(),
          followsCount: z.number().int(),
          mediaCount: z.number().int(),
          linked: z.boolean(),
          professional: z.boolean(),
          /** false: switched personal → professional after linking, not yet confirmed in the Page settings. */
          switchConfirmed: z.boolean().default(true),
          color: z.string().default('#555555'),
        })
        .optional(),
    }),
  ),
  customers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      username: z.string(),
      private: z.boolean(),
      verified: z.boolean().default(false),
      followerCount: z.number().int(),
      /** Instagram accounts this customer follows (is_user_follow_business). */
      follows: z.array(numeric).default([]),
      /** Instagram accounts that follow this customer (is_business_follow_user; lets private story mentions through). */
      followedBy: z.array(numeric).default([]),
      color: z.string().default('#888888'),
    }),
  ),
  history: z.array(
    z.object({
      instagram: numeric,
      customer: z.string(),
      messages: z.array(
        z.object({
          from: z.enum(['customer', 'business']),
          /** How long before the sandbox clock's start, e.g. "26h" or "3d2h". */
          ago: z.string(),
          text: z.string().optional(),
          attachment: z.enum(['image', 'video', 'audio', 'file']).optional(),
        }),
      ),
    }),
  ),
})

export type Seed = z.infer<typeof SeedSchema>

export async function loadSeed(path?: string): Promise<Seed> {
  const raw: unknown = path ? JSON.parse(await readFile(path, 'utf8')) : defaultSeedJson
  return SeedSchema.parse(raw)
}
