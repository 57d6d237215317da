// Per-request helpers for Graph routes: who is calling (access token, appsecret_proof), what they may
// do (scopes), and which object "me" or an id stands for.
import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import type { Deps } from './deps.ts'
import { GraphError, graphErrors } from './errors.ts'
import { parseFields, type FieldNode } from './fields.ts'
import { readParams, type Params } from './params.ts'
import type { IgAccount, Page } from './state.ts'
import { verifyAppsecretProof, type Token } from './tokens.ts'

export interface GraphEnv {
  Bindings: HttpBindings
  Variables: { token?: Token; usageIgId?: string }
}

export interface GraphRequest {
  params: Params
  token: Token
  fields: FieldNode[] | undefined
}

function tokenFrom(c: Context, params: Params): string | undefined {
  const header = c.req.header('authorization')
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null
  return params.string('access_token') ?? match?.[1]
}

/** Reads parameters and the access token; throws Meta's error when the token does not work. */
export async function graphRequest(c: Context<GraphEnv>, deps: Deps): Promise<GraphRequest> {
  const params = await readParams(c)
  const value = tokenFrom(c, params)
  if (!value) throw c.req.path.startsWith('/me') ? graphErrors.activeTokenForMe() : graphErrors.missingToken()
  const proof = params.string('appsecret_proof')
  if (proof !== undefined && !verifyAppsecretProof(value, proof, deps.state.app.secret)) throw graphErrors.invalidProof()
  const token = deps.tokens.authenticate(value)
  c.set('token', token)
  deps.limits.countCall({ userId: token.type === 'USER' ? token.userId : undefined, pageId: token.pageId })
  const fieldsParam = params.string('fields')
  const fields = fieldsParam && fieldsParam.trim() !== '' ? parseFields(fieldsParam.trim()) : undefined
  return { params, token, fields }
}

export function hasScope(deps: Deps, token: Token, scope: string): boolean {
  return deps.tokens.scopes(token).includes(scope)
}

export function requirePageToken(token: Token): Page['id'] {
  if (token.type !== 'PAGE' || !token.pageId) throw graphErrors.pageTokenRequired()
  return token.pageId
}

/** The page a request may act for: "me" with a page token, or the page id the page token belongs to. */
export function pageFor(deps: Deps, token: Token, id: string): Page {
  const pageId = requirePageToken(token)
  if (id !== 'me' && id !== pageId) throw graphErrors.unknownObject(id)
  const page = deps.state.pages.get(pageId)
  if (!page) throw graphErrors.unknownObject(id)
  return page
}

/** The Instagram account a page token reaches for messaging; Meta answers as if there were none otherwise. */
export function messagingAccount(deps: Deps, page: Page): IgAccount {
  const account = deps.state.businessAccountOf(page)
  if (!account) throw new GraphError({ message: '(#100) The Page is not linked to an Instagram professional account', code: 100 })
  return account
}

/** Whether a user token may see a page: the person has a role on it and granted it to the app. */
export function userSeesPage(deps: Deps, token: Token, page: Page): boolean {
  if (token.type !== 'USER' || !token.userId) return false
  const grant = deps.state.grants.get(token.userId)
  return page.roles.has(token.userId) && (grant?.pageIds.includes(page.id) ?? false)
}
