import { describe, expect, it } from 'vitest'
import { fetchMedia, probeMedia, servableType } from '../../../../src-main/core/inbox/media/mediaFetch.ts'
import { mediaAddress, parseMediaPath } from '../../../../src-main/core/inbox/media/mediaPaths.ts'

/** A CDN answer whose body arrives in chunks and announces no length. */
function chunked(chunks: number[], type = 'video/mp4'): typeof fetch {
  return (async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const size of chunks) controller.enqueue(new Uint8Array(size))
          controller.close()
        },
      }),
      { status: 200, headers: { 'content-type': type } },
    )) as typeof fetch
}

describe('fetching media in main', () => {
  it('cuts a stream off once it passes the cap, even when no length was announced', async () => {
    const ok = await fetchMedia('https://cdn.example/a.mp4', { fetch: chunked([400, 400]), maxBytes: 1000 })
    expect((await ok.arrayBuffer()).byteLength).toBe(800)
    const over = await fetchMedia('https://cdn.example/b.mp4', { fetch: chunked([600, 600]), maxBytes: 1000 })
    expect(over.status).toBe(200)
    await expect(over.arrayBuffer()).rejects.toThrow()
  })

  it('gives up with 504 when the CDN does not answer in time', async () => {
    const silent = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new Error('aborted'))))) as typeof fetch
    const response = await fetchMedia('https://cdn.example/slow.png', { fetch: silent, maxBytes: 1000, timeoutMs: 20 })
    expect([response.status, response.headers.get('x-parley-media')]).toEqual([504, 'timeout'])
  })

  it('says 502 when the CDN cannot be reached, and fetches only http(s)', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof fetch
    expect((await fetchMedia('https://cdn.example/x.png', { fetch: failing, maxBytes: 10 })).status).toBe(502)
    let asked = false
    const spy = (async () => ((asked = true), new Response('x'))) as typeof fetch
    expect((await fetchMedia('file:///etc/passwd', { fetch: spy, maxBytes: 10 })).status).toBe(404)
    expect(asked).toBe(false)
  })

  it('serves images, audio, video and PDF only — never SVG, HTML or text', () => {
    expect(['image/png', 'image/jpeg; charset=x', 'video/mp4', 'audio/mp4', 'application/pdf'].map(servableType)).toEqual([
      'image/png', 'image/jpeg', 'video/mp4', 'audio/mp4', 'application/pdf',
    ])
    expect(['image/svg+xml', 'text/html', 'text/plain', 'application/octet-stream', null].map(servableType)).toEqual([null, null, null, null, null])
  })

  it('probes with HEAD, taking no bytes', async () => {
    const methods: string[] = []
    const answer = (status: number) => (async (_url: string, init: RequestInit) => (methods.push(init.method ?? 'GET'), new Response(null, { status }))) as typeof fetch
    expect(await probeMedia('https://cdn.example/s', { fetch: answer(200) })).toBe('available')
    expect(await probeMedia('https://cdn.example/s', { fetch: answer(404) })).toBe('gone')
    expect(await probeMedia('https://cdn.example/s', { fetch: answer(405) })).toBe('unknown')
    expect(methods).toEqual(['HEAD', 'HEAD', 'HEAD'])
  })
})

describe('media addresses', () => {
  it('round-trip ids with any characters and refuse everything else', () => {
    const ref = { kind: 'attachment' as const, mid: 'aWdf+/=?#..', index: 3 }
    const address = mediaAddress('browser', ref)
    expect(address).toBe('/media/attachment/aWdf%2B%2F%3D%3F%23../3')
    expect(parseMediaPath(address.slice('/media/'.length))).toEqual(ref)
    expect(parseMediaPath('avatar/c%2F1')).toEqual({ kind: 'avatar', conversationId: 'c/1' })
    for (const bad of ['', 'avatar/', 'avatar/a/b', 'attachment/m', 'attachment/m/-1', 'attachment/m/100', 'attachment/%E0%A4%A/0', 'story/x']) {
      expect(parseMediaPath(bad), bad).toBeNull()
    }
  })
})
