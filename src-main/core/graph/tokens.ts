// Token calls (fact sheet §1.3–§1.7): exchanges that need the app secret, debug_token, permissions.
import { z } from 'zod'
import { classifyMetaError } from './metaErrors.ts'
import { reasonText, type GraphErrorReason } from './reasons.ts'
import { redact } from './redact.ts'
import { graphId, success } from './schemas.ts'
import type { Transport } from './transport.ts'

export interface EndpointContext {
  transport: Transport
  appId: string
  now: () => number
}

export interface AccessTokenGrant {
  accessToken: string
  tokenType: string | null
  /** Seconds, as Meta gave them; null when Meta names no lifetime. */
  expiresIn: number | null
  expiresAt: Date | null
}

export interface TokenInfo {
  isValid: boolean
  /** USER, PAGE, APP, SYSTEM_USER … as Meta names it. */
  type: string | null
  appId: string | null
  application: string | null
  userId: string | null
  /** The page of a page token. */
  profileId?: string
  scopes: string[]
  /** Which pages / Instagram accounts each permission was granted for. */
  granularScopes: { scope: string; targetIds: string[] }[]
  issuedAt: Date | null
  /** null = never expires (Meta's `expires_at: 0`) or not stated. */
  expiresAt: Date | null
  /** End of the 90-day data-access window. */
  dataAccessExpiresAt: Date | null
  /** Why the token is not valid, in the same words a failed call would use. */
  problem?: { reason: GraphErrorReason; message: string; remedy?: string; code?: number; subcode?: number; metaMessage?: string }
}

export interface Permission {
  permission: string
  status: 'granted' | 'declined' | 'expired' | (string & {})
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
})

const unixTime = z.coerce.number().optional()

const debugTokenResponse = z.object({
  data: z.object({
    is_valid: z.boolean(),
    app_id: graphId.optional(),
    type: z.string().optional(),
    application: z.string().optional(),
    user_id: graphId.optional(),
    profile_id: graphId.optional(),
    issued_at: unixTime,
    expires_at: unixTime,
    data_access_expires_at: unixTime,
    scopes: z.array(z.string()).default([]),
    granular_scopes: z.array(z.object({ scope: z.string(), target_ids: z.array(graphId).optional() })).default([]),
    error: z
      .object({ code: z.coerce.number().optional(), subcode: z.coerce.number().optional(), message: z.string().optional() })
      .optional(),
  }),
})

const permissionsResponse = z.object({ data: z.array(z.object({ permission: z.string(), status: z.string() })) })

const date = (seconds: number | undefined): Date | null => (seconds ? new Date(seconds * 1000) : null)

export function tokenCalls({ transport, appId, now }: EndpointContext) {
  const grant = (t: z.output<typeof tokenResponse>): AccessTokenGrant => ({
    accessToken: t.access_token,
    tokenType: t.token_type ?? null,
    expiresIn: t.expires_in ?? null,
    expiresAt: t.expires_in ? new Date(now() + t.expires_in * 1000) : null,
  })

  /** `{app-id}|{app-secret}`: Meta's documented app token, built when needed and never kept. */
  async function literalAppToken(endpoint: string): Promise<string> {
    return `${appId}|${await transport.appSecret(endpoint)}`
  }

  return {
    /** Short-lived user token (≈1–2 h) → long-lived (≈60 days). Needs the app secret. */
    async exchangeForLongLived(shortLivedToken: string): Promise<AccessTokenGrant> {
      const endpoint = 'GET /oauth/access_token (fb_exchange_token)'
      const secret = await transport.appSecret(endpoint)
      const query = { grant_type: 'fb_exchange_token', client_id: appId, client_secret: secret, fb_exchange_token: shortLivedToken }
      return grant(await transport.call({ method: 'GET', path: '/oauth/access_token', endpoint, query, schema: tokenResponse }))
    },

    /** Authorization code → user token. A code works once, so this is never repeated automatically. */
    async exchangeCode(code: string, redirectUri: string): Promise<AccessTokenGrant> {
      const endpoint = 'GET /oauth/access_token (code)'
      const secret = await transport.appSecret(endpoint)
      const query = { client_id: appId, client_secret: secret, redirect_uri: redirectUri, code }
      return grant(await transport.call({ method: 'GET', path: '/oauth/access_token', endpoint, query, schema: tokenResponse, idempotent: false }))
    },

    /** An app access token from Meta (client_credentials). */
    async appToken(): Promise<string> {
      const endpoint = 'GET /oauth/access_token (client_credentials)'
      const secret = await transport.appSecret(endpoint)
      const query = { grant_type: 'client_credentials', client_id: appId, client_secret: secret }
      return (await transport.call({ method: 'GET', path: '/oauth/access_token', endpoint, query, schema: tokenResponse })).access_token
    },

    /** What Meta knows about a token: validity, expiry, scopes and the pages they were granted for. */
    async debugToken(inputToken: string): Promise<TokenInfo> {
      const endpoint = 'GET /debug_token'
      const { data } = await transport.call({
        method: 'GET', path: '/debug_token', endpoint, accessToken: await literalAppToken(endpoint),
        query: { input_token: inputToken }, schema: debugTokenResponse,
      })
      const info: TokenInfo = {
        isValid: data.is_valid,
        type: data.type ?? null,
        appId: data.app_id ?? null,
        application: data.application ?? null,
        userId: data.user_id ?? null,
        scopes: data.scopes,
        granularScopes: data.granular_scopes.map((g) => ({ scope: g.scope, targetIds: g.target_ids ?? [] })),
        issuedAt: date(data.issued_at),
        expiresAt: date(data.expires_at),
        dataAccessExpiresAt: date(data.data_access_expires_at),
      }
      if (data.profile_id !== undefined) info.profileId = data.profile_id
      if (data.error) {
        const { code, subcode, message } = data.error
        const reason = classifyMetaError({ code: code ?? 190, subcode, message })
        const text = reasonText(reason)
        info.problem = { reason, message: text.message, remedy: text.remedy, code, subcode, metaMessage: message && redact(message, [inputToken]) }
      }
      return info
    },

    /** `GET /me/permissions`: granted and declined permissions of the person behind a user token. */
    async permissions(userToken: string): Promise<Permission[]> {
      const response = await transport.call({
        method: 'GET', path: '/me/permissions', endpoint: 'GET /me/permissions', accessToken: userToken, schema: permissionsResponse,
      })
      return response.data
    },

    /**
     * `DELETE /me/permissions[/{permission}]`: takes back one permission, or the whole login. Not
     * repeated automatically: a second revoke fails once the token is gone.
     */
    async revokePermissions(userToken: string, permission?: string): Promise<void> {
      const path = permission ? `/me/permissions/${encodeURIComponent(permission)}` : '/me/permissions'
      await transport.call({
        method: 'DELETE', path, endpoint: permission ? 'DELETE /me/permissions/{permission}' : 'DELETE /me/permissions',
        accessToken: userToken, schema: success,
      })
    },
  }
}

export type TokenCalls = ReturnType<typeof tokenCalls>
