// The files of attachment replies, where Meta fetches them: on the webhook server, the address
// Meta reaches. A file is there only while its reply is on its way, by an id nobody can guess.
import { Readable } from 'node:stream'
import type { Hono } from 'hono'
import { isStagedId, type StagedFile } from './staging.ts'

export const OUTGOING_PATH = '/outgoing'

export type ServableLookup = (id: string) => Promise<{ file: StagedFile; stream: () => Readable } | null>

const notFound = () => new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })

export function mountOutgoingFiles(app: Hono, lookup: ServableLookup): void {
  app.get(`${OUTGOING_PATH}/:id`, async (c) => {
    const id = c.req.param('id')
    if (!isStagedId(id)) return notFound()
    const found = await lookup(id)
    if (!found) return notFound()
    const { file } = found
    const headers = {
      'content-type': file.mime,
      'content-length': String(file.size),
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    }
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers })
    return new Response(Readable.toWeb(found.stream()) as ReadableStream, { status: 200, headers })
  })
}
