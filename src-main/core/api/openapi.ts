// I1: /api/v1/openapi.json, generated from the route table and its schemas — the same ones that
// validate each request — so the document cannot drift from what the server does.
import { z } from 'zod'
import { API_SCOPES } from '../contract/api.ts'
import { apiSchemas, Problem } from './resources.ts'
import type { ApiRoute } from './routes.ts'

type JsonSchema = Record<string, unknown>

/** The components: every named schema, with `$ref`s between them. */
function components(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: (id) => `#/components/schemas/${id}`, io: 'output' }) as { schemas: Record<string, JsonSchema> }
  // A component is not a document of its own: no $schema or $id inside OpenAPI.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]))
}

const refTo = (schema: z.ZodType): JsonSchema => {
  const id = apiSchemas.get(schema)?.id
  if (!id) throw new Error('every response of the API is a named schema')
  return { $ref: `#/components/schemas/${id}` }
}

function parameters(shape: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!shape) return []
  const fields = (shape as z.ZodObject).shape as Record<string, z.ZodType>
  return Object.entries(fields).map(([name, field]) => {
    const { $schema: _schema, description, ...schema } = z.toJSONSchema(field, { io: 'input' }) as JsonSchema
    return { name, in: where, required: where === 'path' || !field.safeParse(undefined).success, ...(description ? { description } : {}), schema }
  })
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } })

export function openApiDocument(routes: ApiRoute[], version: string): JsonSchema {
  void Problem // registered with the components
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const ok = { description: 'OK', content: { 'application/json': { schema: refTo(route.response) } } }
    paths[route.path] ??= {}
    paths[route.path]![route.method] = {
      summary: route.summary,
      operationId: [route.method, ...route.path.replace(/[{}]/g, '').split('/').filter(Boolean)].join('_'),
      description: `Needs a key with the \`${route.scope}\` scope.`,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: refTo(route.body) } } } } : {}),
      responses: {
        '200': route.single
          ? { ...ok, headers: { ETag: { description: 'Send it back as If-None-Match: 304 while unchanged.', schema: { type: 'string' } } } }
          : ok,
        ...(route.single ? { '304': { description: 'Not modified since the ETag sent.' } } : {}),
        '400': problem('The request does not match this description.'),
        '401': problem('No key, or a key this server does not know or that was revoked.'),
        '403': problem('The key lacks the scope this needs.'),
        ...(route.path.includes('{') ? { '404': problem('There is no such resource.') } : {}),
        ...(route.method === 'put' ? { '409': problem('Refused as things stand.') } : {}),
        '429': { ...problem('Too many requests with this key; try again after Retry-After seconds.'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version,
      description:
        'People and presence, queues and their activity, conversations with their routing history and wrap-up, and integrations’ health, on a Parley server. ' +
        'Authenticate with an API key made under Admin → People → API keys: `Authorization: Bearer prl_…`. Errors are RFC 9457 problem details; lists are cursor-paged.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: `An API key; scopes: ${API_SCOPES.join(', ')}.` } },
      schemas: components(),
    },
    paths,
  }
}
