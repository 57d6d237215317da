// The sandbox's CDN: media it hands out (attachments, stories, profile pictures) and synthetic files of
// any size and type, so that the Send API's type and size checks can be exercised.
import type { Hono } from 'hono'
import type { Deps } from '../deps.ts'
import type { GraphEnv } from '../graph.ts'
import { CONTENT_TYPES } from '../media.ts'

const MAX_SYNTHETIC_BYTES = 64 * 1024 * 1024

export function registerCdnRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  app.get('/cdn/ig_messaging_cdn/', (c) => {
    const found = deps.media.lookup(c.req.query('asset_id') ?? '', c.req.query('signature') ?? '')
    if (found.status !== 200) return found.status === 403 ? c.text('URL signature mismatch', 403) : c.text('Not Found', 404)
    const bytes = found.asset.body()
    return c.body(new Uint8Array(bytes), 200, { 'content-type': found.asset.contentType, 'content-length': String(bytes.length), 'cache-control': 'no-store' })
  })

  // /cdn/synthetic/9000000/photo.png → 9,000,000 bytes served as image/png.
  app.get('/cdn/synthetic/:bytes/:name', (c) => {
    const bytes = Number(c.req.param('bytes'))
    const extension = c.req.param('name').split('.').pop()?.toLowerCase() ?? ''
    const contentType = CONTENT_TYPES[extension]
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_SYNTHETIC_BYTES || !contentType) return c.text('Not Found', 404)
    return c.body(new Uint8Array(bytes), 200, { 'content-type': contentType, 'content-length': String(bytes) })
  })
}
