// GET /{id}: whatever the id stands for (person, page, Instagram account, app, conversation, message,
// IGSID), unknown paths in Meta's words, and batch requests (POST / with batch=[…]).
import type { Hono } from 'hono'
import type { Deps } from '../deps.ts'
import { GraphError, graphErrors } from '../errors.ts'
import { graphRequest, type GraphEnv } from '../graph.ts'
import { readParams } from '../params.ts'
import { renderBusinessNode } from './business.ts'
import { renderMessagingNode } from './messaging.ts'

const MAX_BATCH = 50

export function registerNodeRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  app.get('/:id', async (c) => {
    const id = c.req.param('id')
    const request = await graphRequest(c, deps)
    const body = (await renderBusinessNode(deps, request, id)) ?? (await renderMessagingNode(deps, request, id, c))
    if (!body) throw graphErrors.unknownObject(id)
    return c.json(body)
  })

  app.post('/', async (c) => {
    const params = await readParams(c)
    const batch = params.string('batch')
    if (!batch) throw graphErrors.invalidParam('The parameter batch is required')
    let items: unknown
    try {
      items = JSON.parse(batch)
    } catch {
      throw graphErrors.invalidParam('Param batch must be a JSON array')
    }
    if (!Array.isArray(items)) throw graphErrors.invalidParam('Param batch must be a JSON array')
    if (items.length > MAX_BATCH) throw graphErrors.invalidParam(`Too many requests in batch message. Maximum batch size is ${MAX_BATCH}`)
    const token = params.string('access_token')
    const includeHeaders = params.string('include_headers') !== 'false'
    const results = []
    for (const item of items as { method?: string; relative_url?: string; body?: string }[]) {
      const method = (item.method ?? 'GET').toUpperCase()
      const url = new URL(`${deps.origin}/${String(item.relative_url ?? '').replace(/^\//, '')}`)
      if (token && !url.searchParams.has('access_token')) url.searchParams.set('access_token', token)
      const init: RequestInit = { method }
      if (item.body !== undefined && method !== 'GET') init.body = item.body
      if (item.body !== undefined && method !== 'GET') init.headers = { 'content-type': 'application/x-www-form-urlencoded' }
      const response = await app.request(url.toString(), init, c.env)
      const headers = [...response.headers.entries()].map(([name, value]) => ({ name, value }))
      results.push({ code: response.status, ...(includeHeaders ? { headers } : {}), body: await response.text() })
    }
    return c.json(results)
  })

  // Unknown edges and deeper paths, as Meta words them.
  app.all('/:id/*', async (c) => {
    const rest = c.req.path.split('/').slice(2).join('/')
    throw graphErrors.unknownPath(`/${rest}`)
  })

  app.all('*', () => {
    throw new GraphError({ message: 'Unsupported request - method type: unknown', code: 100, type: 'GraphMethodException' })
  })
}
