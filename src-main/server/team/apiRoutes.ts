// I1: /api/v1 on every node — the route table of core/api served over Hono: the key checked (in the
// database, so a revoked key is refused at once everywhere), its scope, the request validated by
// the route's schemas, RFC 9457 problems for every error, ETags on single resources.
import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { z } from 'zod'
import type { Logger } from '../../core/app/logger.ts'
import { describeError } from '../../core/app/logger.ts'
import type { ApiKeyService } from '../../core/api/apiKeyService.ts'
import { ApiProblem, asProblem, problemBody } from '../../core/api/problems.ts'
import type { ApiRoute } from '../../core/api/routes.ts'

export interface ApiAppDeps {
  routes: ApiRoute[]
  document: object
  keys: Pick<ApiKeyService, 'authenticate'>
  log: Logger
}

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, what: string): T {
  if (!schema) return undefined as T
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')
  throw new ApiProblem(400, 'invalid_request', 'Invalid request', `The ${what} does not match the API's description: ${issues}`)
}

export function createApiApp(deps: ApiAppDeps): Hono {
  const app = new Hono()
  const answerProblem = (c: Context, error: unknown) => {
    const problem = asProblem(error)
    if (problem.status >= 500) deps.log.error('API request failed', { path: new URL(c.req.url).pathname, ...describeError(error) })
    return c.body(JSON.stringify(problemBody(problem, new URL(c.req.url).pathname)), problem.status as 400, {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...problem.headers,
    })
  }

  app.get('/openapi.json', (c) => c.json(deps.document, 200, { 'cache-control': 'no-store' }))

  async function keyOf(c: Context) {
    const [scheme, secret] = (c.req.header('authorization') ?? '').split(' ')
    const challenge = { 'www-authenticate': 'Bearer realm="Parley API"' }
    if (scheme?.toLowerCase() !== 'bearer' || !secret) throw new ApiProblem(401, 'unauthenticated', 'Not authenticated', 'Send an API key: Authorization: Bearer prl_…', challenge)
    const use = await deps.keys.authenticate(secret)
    if (use.ok) return use.key
    if (use.reason === 'rate_limited') {
      const seconds = Math.max(1, Math.ceil(use.retryAfterMs / 1000))
      throw new ApiProblem(429, 'rate_limited', 'Too many requests', `This key made too many requests this minute. Try again in ${seconds} s.`, { 'retry-after': String(seconds) })
    }
    throw new ApiProblem(401, use.reason === 'revoked' ? 'key_revoked' : 'unauthenticated', 'Not authenticated', use.reason === 'revoked' ? 'This API key was revoked.' : 'This server does not know this API key.', challenge)
  }

  for (const route of deps.routes) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      try {
        const key = await keyOf(c)
        if (!key.scopes.includes(route.scope)) throw new ApiProblem(403, 'scope', 'Not allowed', `This needs a key with the "${route.scope}" scope.`)
        const params = parse(route.params, c.req.param(), 'path')
        const query = parse(route.query, c.req.query(), 'query')
        let body: unknown
        if (route.body) {
          const raw: unknown = await c.req.json().catch(() => {
            throw new ApiProblem(400, 'invalid_request', 'Invalid request', 'The body is not JSON.')
          })
          body = parse(route.body, raw, 'body')
        }
        const value = await route.handle({ key, params, query, body })
        const json = JSON.stringify(value)
        const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' }
        if (route.single) {
          headers.etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`
          if (c.req.header('if-none-match')?.split(',').some((tag) => tag.trim() === headers.etag)) return c.body(null, 304, { etag: headers.etag })
        }
        return c.body(json, 200, headers)
      } catch (error) {
        return answerProblem(c, error)
      }
    })
  }
  app.all('*', (c) => answerProblem(c, new ApiProblem(404, 'not_found', 'Not found', 'There is no such endpoint. See /api/v1/openapi.json.')))
  return app
}
