// The business objects an integration stands on (fact sheet §3, §4): the person, their Pages with
// the linked Instagram accounts, and webhook subscriptions at page and app level.
import { z } from 'zod'
import { graphId, paged, success } from './schemas.ts'
import type { EndpointContext } from './tokens.ts'
import { unexpectedResponse } from './transport.ts'

export interface InstagramAccount {
  id: string
  username: string | null
  name: string | null
  profilePictureUrl: string | null
}

export interface PageSummary {
  id: string
  name: string
  /** Page token; never expires when the user token was long-lived. Straight to the keychain. */
  accessToken: string | null
  tasks: string[]
  /** null when Meta did not say (the field name is not confirmed for every version). */
  isPublished: boolean | null
  /** Absent on Meta when the Page has no linked professional account. */
  instagram: InstagramAccount | null
}

export interface SubscribedApp {
  id: string
  name: string | null
  subscribedFields: string[]
}

export interface AppWebhookSubscription {
  callbackUrl: string
  verifyToken: string
  /** Instagram webhook fields, e.g. `messages`, `messaging_seen`, `message_reactions`. */
  fields: string[]
  /** Defaults to the client's app id. */
  appId?: string
}

const PAGE_FIELDS = 'id,name,access_token,tasks,is_published,instagram_business_account{id,username,name,profile_picture_url}'
const IG_FIELDS = 'id,username,name,profile_picture_url'
/** A person rarely manages more pages than this; the cap only stops a cursor that never ends. */
const MAX_PAGE_REQUESTS = 200

const igAccount = z.object({
  id: graphId,
  username: z.string().optional(),
  name: z.string().optional(),
  profile_picture_url: z.string().optional(),
})

const pageItem = z.object({
  id: graphId,
  name: z.string(),
  access_token: z.string().optional(),
  tasks: z.array(z.string()).optional(),
  is_published: z.boolean().optional(),
  instagram_business_account: igAccount.optional(),
})

const subscribedApps = z.object({
  data: z.array(z.object({ id: graphId, name: z.string().optional(), subscribed_fields: z.array(z.string()).optional() })),
})

const node = z.looseObject({ id: graphId })

const toInstagram = (ig: z.output<typeof igAccount>): InstagramAccount => ({
  id: ig.id,
  username: ig.username ?? null,
  name: ig.name ?? null,
  profilePictureUrl: ig.profile_picture_url ?? null,
})

const seg = encodeURIComponent

export function businessCalls({ transport, appId }: EndpointContext) {
  return {
    /** The person behind a user token. */
    async me(userToken: string, fields: string[] = ['id', 'name']): Promise<{ id: string; name: string | null }> {
      const me = await transport.call({
        method: 'GET', path: '/me', endpoint: 'GET /me', accessToken: userToken, query: { fields: fields.join(',') },
        schema: z.object({ id: graphId, name: z.string().optional() }),
      })
      return { id: me.id, name: me.name ?? null }
    },

    /** Every Page the person manages (all cursor pages of /me/accounts), with the linked Instagram account. */
    async listPages(userToken: string, options: { limit?: number } = {}): Promise<PageSummary[]> {
      const pages: PageSummary[] = []
      const seen = new Set<string>()
      let after: string | undefined
      for (let request = 0; request < MAX_PAGE_REQUESTS; request++) {
        const page = await transport.call({
          method: 'GET', path: '/me/accounts', endpoint: 'GET /me/accounts', accessToken: userToken,
          query: { fields: PAGE_FIELDS, limit: options.limit, after }, schema: paged(pageItem),
        })
        for (const p of page.items) {
          pages.push({
            id: p.id,
            name: p.name,
            accessToken: p.access_token ?? null,
            tasks: p.tasks ?? [],
            isPublished: p.is_published ?? null,
            instagram: p.instagram_business_account ? toInstagram(p.instagram_business_account) : null,
          })
        }
        if (page.nextCursor === null) return pages
        // A cursor Meta already gave would loop forever; stop rather than return a partial list silently.
        if (seen.has(page.nextCursor)) break
        seen.add(page.nextCursor)
        after = page.nextCursor
      }
      throw unexpectedResponse('GET /me/accounts', 200, 'the paging cursors never end')
    },

    /** Any fields of a Page, as Meta returns them (`id` always). */
    async page(pageId: string, token: string, fields: string[]): Promise<{ id: string } & Record<string, unknown>> {
      return transport.call({
        method: 'GET', path: `/${seg(pageId)}`, endpoint: 'GET /{page-id}', accessToken: token, query: { fields: fields.join(',') }, schema: node,
      })
    },

    /** An Instagram professional account (Page-backed: only a few fields exist). */
    async igAccount(igId: string, token: string): Promise<InstagramAccount> {
      const ig = await transport.call({
        method: 'GET', path: `/${seg(igId)}`, endpoint: 'GET /{ig-user-id}', accessToken: token, query: { fields: IG_FIELDS }, schema: igAccount,
      })
      return toInstagram(ig)
    },

    /** Subscribes the app to the Page's webhooks (S7). Setting the same subscription twice is harmless. */
    async subscribeApp(pageId: string, pageToken: string, fields: string[]): Promise<void> {
      await transport.call({
        method: 'POST', path: `/${seg(pageId)}/subscribed_apps`, endpoint: 'POST /{page-id}/subscribed_apps', accessToken: pageToken,
        query: { subscribed_fields: fields.join(',') }, schema: success, idempotent: true,
      })
    },

    async unsubscribeApp(pageId: string, pageToken: string): Promise<void> {
      await transport.call({
        method: 'DELETE', path: `/${seg(pageId)}/subscribed_apps`, endpoint: 'DELETE /{page-id}/subscribed_apps', accessToken: pageToken,
        schema: success, idempotent: true,
      })
    },

    /** The apps subscribed to the Page's webhooks and their fields (S13, T1). */
    async subscribedApps(pageId: string, pageToken: string): Promise<SubscribedApp[]> {
      const response = await transport.call({
        method: 'GET', path: `/${seg(pageId)}/subscribed_apps`, endpoint: 'GET /{page-id}/subscribed_apps', accessToken: pageToken, schema: subscribedApps,
      })
      return response.data.map((app) => ({ id: app.id, name: app.name ?? null, subscribedFields: app.subscribed_fields ?? [] }))
    },

    /**
     * App-level webhook subscription for object `instagram` (`POST /{app-id}/subscriptions`, app token).
     * Meta verifies the callback before answering.
     */
    async subscribeAppWebhooks(subscription: AppWebhookSubscription): Promise<void> {
      const id = subscription.appId ?? appId
      const endpoint = 'POST /{app-id}/subscriptions'
      await transport.call({
        method: 'POST', path: `/${seg(id)}/subscriptions`, endpoint, idempotent: true,
        accessToken: `${id}|${await transport.appSecret(endpoint)}`,
        body: { object: 'instagram', callback_url: subscription.callbackUrl, verify_token: subscription.verifyToken, fields: subscription.fields.join(',') },
        schema: success,
      })
    },
  }
}

export type BusinessCalls = ReturnType<typeof businessCalls>
