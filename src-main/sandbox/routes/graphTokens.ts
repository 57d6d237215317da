// Token endpoints: /oauth/access_token (code, fb_exchange_token, client_credentials) and /debug_token.
import type { Hono } from 'hono'
import type { Deps } from '../deps.ts'
import { GraphError, graphErrors } from '../errors.ts'
import type { GraphEnv } from '../graph.ts'
import { readParams, type Params } from '../params.ts'
import type { Token } from '../tokens.ts'

function checkClient(deps: Deps, params: Params): void {
  const clientId = params.string('client_id')
  if (!clientId) throw new GraphError({ message: 'Missing client_id parameter.', code: 101 })
  if (clientId !== deps.state.app.id) throw new GraphError({ message: 'Error validating application. Invalid application ID.', code: 101 })
  const secret = params.string('client_secret')
  if (!secret) throw new GraphError({ message: 'Missing client_secret parameter.', code: 101 })
  if (secret !== deps.state.app.secret) throw new GraphError({ message: 'Error validating client secret.', code: 1 })
}

const expiresIn = (deps: Deps, token: Token) => Math.max(0, Math.floor((token.expiresAt - deps.clock.now()) / 1000))

export function registerTokenRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  app.on(['GET', 'POST'], '/oauth/access_token', async (c) => {
    const params = await readParams(c)
    const grantType = params.string('grant_type')
    if (grantType === 'client_credentials') {
      checkClient(deps, params)
      return c.json({ access_token: deps.tokens.issueApp().value, token_type: 'bearer' })
    }
    if (grantType === 'fb_exchange_token') {
      checkClient(deps, params)
      const short = deps.tokens.authenticate(params.required('fb_exchange_token'))
      if (short.type !== 'USER' || !short.userId) throw graphErrors.invalidParam('fb_exchange_token must be a user access token')
      const long = deps.tokens.issueUser(short.userId, true)
      return c.json({ access_token: long.value, token_type: 'bearer', expires_in: expiresIn(deps, long) })
    }
    const codeValue = params.string('code')
    if (codeValue === undefined) throw graphErrors.invalidParam('Missing authorization code')
    checkClient(deps, params)
    const code = deps.sessions.code(codeValue)
    if (!code) throw new GraphError({ message: 'Invalid verification code format.', code: 100, subcode: 36010 })
    if (code.used) throw new GraphError({ message: 'This authorization code has been used.', code: 100, subcode: 36009 })
    if (deps.clock.now() >= code.expiresAt) throw new GraphError({ message: 'This authorization code has expired.', code: 100, subcode: 36007 })
    const redirectUri = params.string('redirect_uri')
    if (redirectUri !== undefined && redirectUri !== code.redirectUri) {
      throw new GraphError({
        message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        code: 100, subcode: 36008,
      })
    }
    code.used = true
    const token = deps.tokens.issueUser(code.userId, false)
    return c.json({ access_token: token.value, token_type: 'bearer', expires_in: expiresIn(deps, token) })
  })

  app.get('/debug_token', async (c) => {
    const params = await readParams(c)
    const inspector = params.string('access_token')
    if (!inspector) throw graphErrors.missingToken()
    deps.tokens.authenticate(inspector)
    const input = params.string('input_token')
    if (!input) throw graphErrors.invalidParam('The parameter input_token is required')
    const token = deps.tokens.find(input)
    if (!token) {
      return c.json({ data: { error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }, is_valid: false, scopes: [] } })
    }
    const { state } = deps
    const data: Record<string, unknown> = { app_id: state.app.id, type: token.type, application: state.app.name }
    if (token.type !== 'APP') {
      const grant = state.grants.get(token.userId ?? '')
      const pageIds = grant?.pageIds ?? []
      const igIds = pageIds.flatMap((id) => {
        const page = state.pages.get(id)
        const account = page ? state.businessAccountOf(page) : undefined
        return account ? [account.id] : []
      })
      const scopes = deps.tokens.scopes(token)
      const problem = deps.tokens.problem(token)
      data.data_access_expires_at = Math.floor((token.issuedAt + 90 * 86_400_000) / 1000)
      if (problem) data.error = { code: problem.code, message: problem.message, subcode: problem.subcode }
      data.expires_at = token.expiresAt === 0 ? 0 : Math.floor(token.expiresAt / 1000)
      data.is_valid = problem === undefined
      data.issued_at = Math.floor(token.issuedAt / 1000)
      data.metadata = { auth_type: 'rerequest', sso: 'chrome_custom_tab' }
      if (token.type === 'PAGE') data.profile_id = token.pageId
      data.scopes = scopes
      // Page permissions list the granted pages, Instagram permissions the Instagram accounts behind them.
      data.granular_scopes = scopes
        .filter((scope) => scope.startsWith('pages_') || scope.startsWith('instagram_') || scope === 'business_management')
        .map((scope) => ({ scope, target_ids: scope.startsWith('instagram_') ? igIds : pageIds }))
      data.user_id = token.userId
    } else {
      data.expires_at = 0
      data.is_valid = true
      data.scopes = []
    }
    return c.json({ data })
  })
}
