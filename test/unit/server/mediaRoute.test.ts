import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttpApp } from '../../../src-main/server/httpApp.ts'

// GET /media/… in the browser host: behind the launch key like everything else, handed to core as is.
const PORT = 4321
const KEY = 'launch-key-123'

function app() {
  const asked: string[] = []
  const http = createHttpApp({
    rendererDir: mkdtempSync(join(tmpdir(), 'parley-renderer-')),
    key: KEY,
    port: () => PORT,
    login: { complete: async () => null, logoutUrl: (next) => next },
    media: async (path) => (asked.push(path), new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' } })),
  })
  const get = (path: string, cookie?: string) =>
    http.request(`http://127.0.0.1:${PORT}${path}`, { headers: { host: `127.0.0.1:${PORT}`, ...(cookie ? { cookie } : {}) } })
  return { get, asked }
}

describe('the browser host’s media route', () => {
  it('refuses anyone without the launch key, and asks core nothing then', async () => {
    const { get, asked } = app()
    expect((await get('/media/avatar/c-1')).status).toBe(403)
    expect((await get('/media/avatar/c-1', `parley_key_${PORT}=wrong`)).status).toBe(403)
    expect(asked).toEqual([])
  })

  it('streams what core answers for the path, still encoded, with no-store and a CSP that lets players load it', async () => {
    const { get, asked } = app()
    const response = await get('/media/attachment/aWdf%2B%2F%3D/0', `parley_key_${PORT}=${KEY}`)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71]))
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-security-policy')).toContain("media-src 'self'")
    expect(asked).toEqual(['attachment/aWdf%2B%2F%3D/0'])
  })
})
