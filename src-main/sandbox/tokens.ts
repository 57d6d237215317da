// Access tokens: opaque random strings mapped to what they stand for. Validity is checked on every
// use against the live state (password changes → 190/460, removed app → 190/458, expiry → 190/463).
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock } from './clock.ts'
import { graphErrors, type GraphError } from './errors.ts'
import { accessToken, randomHex } from './ids.ts'
import type { SandboxState } from './state.ts'

export const SHORT_LIVED_MS = 2 * 3_600_000
export const LONG_LIVED_MS = 60 * 86_400_000
export const SHORT_PAGE_TOKEN_MS = 3_600_000

export interface Token {
  value: string
  type: 'USER' | 'PAGE' | 'APP'
  userId?: string
  pageId?: string
  issuedAt: number
  /** 0 = never expires (as in debug_token). */
  expiresAt: number
  longLived: boolean
  credentialVersion: number
  grantVersion: number
}

export class TokenStore {
  private readonly tokens = new Map<string, Token>()
  /** user token → pageId → page token, so /me/accounts keeps answering the same page token. */
  private readonly pageTokens = new Map<string, Map<string, Token>>()
  private readonly state: SandboxState
  private readonly clock: Clock

  constructor(state: SandboxState, clock: Clock) {
    this.state = state
    this.clock = clock
  }

  issueUser(userId: string, longLived: boolean): Token {
    const now = this.clock.now()
    const token: Token = {
      value: accessToken(), type: 'USER', userId, issuedAt: now, expiresAt: now + (longLived ? LONG_LIVED_MS : SHORT_LIVED_MS), longLived,
      credentialVersion: this.state.users.get(userId)?.credentialVersion ?? 0, grantVersion: this.state.grants.get(userId)?.version ?? 0,
    }
    this.tokens.set(token.value, token)
    return token
  }

  /** Page tokens never expire when derived from a long-lived user token; from a short-lived one they last 1 h. */
  pageTokenFor(userToken: Token, pageId: string): Token {
    let byPage = this.pageTokens.get(userToken.value)
    if (!byPage) this.pageTokens.set(userToken.value, (byPage = new Map()))
    const existing = byPage.get(pageId)
    if (existing) return existing
    const now = this.clock.now()
    const token: Token = {
      value: accessToken(), type: 'PAGE', userId: userToken.userId, pageId, issuedAt: now,
      expiresAt: userToken.longLived ? 0 : now + SHORT_PAGE_TOKEN_MS, longLived: userToken.longLived,
      credentialVersion: userToken.credentialVersion, grantVersion: userToken.grantVersion,
    }
    this.tokens.set(token.value, token)
    byPage.set(pageId, token)
    return token
  }

  issueApp(): Token {
    const token: Token = {
      value: `${this.state.app.id}|${randomHex(16)}`, type: 'APP', issuedAt: this.clock.now(), expiresAt: 0, longLived: true,
      credentialVersion: 0, grantVersion: 0,
    }
    this.tokens.set(token.value, token)
    return token
  }

  /** The token, or undefined when the string is not a token the sandbox issued. */
  find(value: string): Token | undefined {
    const known = this.tokens.get(value)
    if (known) return known
    // Meta also accepts the literal "{app-id}|{app-secret}" as an app token.
    if (value === `${this.state.app.id}|${this.state.app.secret}`) {
      return { value, type: 'APP', issuedAt: 0, expiresAt: 0, longLived: true, credentialVersion: 0, grantVersion: 0 }
    }
    return undefined
  }

  /** Why a token no longer works, as Meta's error; undefined when it is valid. */
  problem(token: Token): GraphError | undefined {
    if (token.type === 'APP') return undefined
    const userId = token.userId ?? ''
    const user = this.state.users.get(userId)
    const grant = this.state.grants.get(userId)
    if (!user || user.credentialVersion !== token.credentialVersion) return graphErrors.passwordChanged()
    if (!grant || !grant.active || grant.version !== token.grantVersion) return graphErrors.notAuthorized(userId, this.state.app.id)
    const now = this.clock.now()
    if (token.expiresAt !== 0 && now >= token.expiresAt) return graphErrors.tokenExpired(token.expiresAt, now)
    return undefined
  }

  /** A usable token or Meta's error for the given string. */
  authenticate(value: string): Token {
    const token = this.find(value)
    if (!token) throw graphErrors.cannotParseToken()
    const problem = this.problem(token)
    if (problem) throw problem
    return token
  }

  scopes(token: Token): string[] {
    if (token.type === 'APP') return []
    return [...(this.state.grants.get(token.userId ?? '')?.scopes ?? [])]
  }

  invalidatedCount(userId: string): number {
    let count = 0
    for (const token of this.tokens.values()) if (token.userId === userId && this.problem(token)) count++
    return count
  }
}

/** appsecret_proof = HMAC-SHA256(access token, app secret), hex. Checked whenever a request carries one. */
export function verifyAppsecretProof(token: string, proof: string, appSecret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', appSecret).update(token).digest('hex'))
  const given = Buffer.from(proof.toLowerCase())
  return expected.length === given.length && timingSafeEqual(expected, given)
}
