// A4 in the browser host: POST /attachments over real HTTP — behind the launch key, sizes counted,
// and the file's type read from its bytes.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONTENT_PROFILE } from '../../../src-main/core/integrations/contentProfiles.ts'
import { createAttachmentService } from '../../../src-main/core/inbox/outbound/attachments/index.ts'
import { keyCookieName } from '../../../src-main/server/accessKey.ts'
import { FILE_NAME_HEADER } from '../../../src-main/server/attachmentUpload.ts'
import { createHttpApp } from '../../../src-main/server/httpApp.ts'
import { solidPng } from '../../../src-main/sandbox/png.ts'
import { conversationFor, openTempStore, tempDir } from '../store/helpers.ts'

const KEY = 'k'.repeat(32)
const MB = 1024 * 1024
const PNG = solidPng('#22aa55')
const servers: Server[] = []

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

async function host() {
  const store = openTempStore()
  const conversation = await conversationFor(store, 'igsid-upload')
  const dir = join(tempDir('parley-upload-'), 'outgoing')
  const attachments = createAttachmentService({
    dir, store, profileFor: () => DEFAULT_CONTENT_PROFILE, publicOrigin: () => 'http://127.0.0.1:1', chooser: () => null, now: Date.now,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  })
  let port = 0
  const app = createHttpApp({
    rendererDir: tempDir('parley-renderer-'), key: KEY, port: () => port,
    login: { complete: async () => null, logoutUrl: () => '' },
    attachments,
  })
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  port = (server.address() as AddressInfo).port
  const base = `http://127.0.0.1:${port}`
  const post = (body: Uint8Array, headers: Record<string, string> = {}, conversationId = conversation.id) =>
    fetch(`${base}/attachments?conversationId=${encodeURIComponent(conversationId)}`, {
      method: 'POST',
      body,
      headers: { cookie: `${keyCookieName(port)}=${KEY}`, [FILE_NAME_HEADER]: encodeURIComponent('Speisekarte März.png'), ...headers },
    })
  const files = () => (existsSync(dir) ? readdirSync(dir) : [])
  return { base, port, post, files }
}

describe('POST /attachments', () => {
  it('stages the body and answers the staged attachment', async () => {
    const { post, files } = await host()
    const response = await post(PNG)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ name: 'Speisekarte März.png', type: 'image', mime: 'image/png', size: PNG.length, problems: [] })
    expect(files()).toHaveLength(2)
  })

  it('needs the launch key (403) and a page of Parley’s own origin (403)', async () => {
    const { post, base, files } = await host()
    const noKey = await fetch(`${base}/attachments?conversationId=x`, { method: 'POST', body: PNG })
    expect(noKey.status).toBe(403)
    const wrongKey = await post(PNG, { cookie: 'parley_key_1=nope' })
    expect(wrongKey.status).toBe(403)
    const foreign = await post(PNG, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(files()).toEqual([])
  })

  it('refuses more than Instagram’s largest cap (413) in plain words', async () => {
    const { post, files } = await host()
    const response = await post(Buffer.concat([PNG.subarray(0, 64), Buffer.alloc(26 * MB)]))
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ code: 'attachment_too_large', message: '“Speisekarte März.png” is larger than 25 MB, the most Instagram accepts for any file.' })
    expect(files()).toEqual([])
  })

  it('refuses what is no image, video, audio or PDF (415), whatever its name', async () => {
    const { post, files } = await host()
    const response = await post(Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(5000, 1)]), { [FILE_NAME_HEADER]: 'setup.png' })
    expect(response.status).toBe(415)
    expect(await response.json()).toMatchObject({ code: 'attachment_not_media', message: expect.stringContaining('a Windows program') })
    expect(files()).toEqual([])
  })

  it('says which conversation is missing (400) or unknown (404)', async () => {
    const { post } = await host()
    expect((await post(PNG, {}, '')).status).toBe(400)
    expect((await post(PNG, {}, 'no-such-conversation')).status).toBe(404)
  })
})
