// A4 against the sandbox, which fetches attachment URLs for real as Meta does: the outbox keeps a
// staged file's id, and the address Meta fetches is made when the reply goes out.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../../../src-main/core/app/logger.ts'
import { DEFAULT_CONTENT_PROFILE } from '../../../../src-main/core/integrations/contentProfiles.ts'
import { createAttachmentService } from '../../../../src-main/core/inbox/outbound/attachments/index.ts'
import type { Store } from '../../../../src-main/core/store/index.ts'
import { solidPng } from '../../../../src-main/sandbox/png.ts'
import { tempDir } from '../../store/helpers.ts'
import { startHarness, type Harness } from './sandboxHarness.ts'

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} }
const PNG = solidPng('#cc3366')

let h: Harness
let server: Server
let serverOrigin: string
const apps: Hono[] = []

beforeAll(async () => {
  h = await startHarness()
  // One file server for the whole file; each test mounts its own service's route on it.
  server = serve({ fetch: (request) => (apps.at(-1) ?? new Hono()).fetch(request), port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())))
  serverOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await h.close()
})

async function world(customer: string) {
  const store: Store = h.openTestStore()
  const { conversation, igsid } = await h.customerWrites(store, customer)
  const origin: { current: string | null } = { current: serverOrigin }
  const dir = join(tempDir('parley-outgoing-'), 'outgoing')
  const attachments = createAttachmentService({
    dir, store, profileFor: () => DEFAULT_CONTENT_PROFILE, publicOrigin: () => origin.current, chooser: () => null, now: h.now, log: quiet,
  })
  const app = new Hono()
  attachments.mount(app)
  apps.push(app)
  const { sender, graphRef } = h.sender(store, { staged: attachments.forSender })
  const stage = async () => {
    const result = await attachments.upload({ conversationId: conversation.id, name: 'menu.png', chunks: (async function* () { yield PNG })() })
    if (!result.ok || result.view.problems.length) throw new Error('not staged')
    return result.view.id
  }
  return { store, conversation, igsid, origin, attachments, sender, graphRef, stage, fileExists: (id: string) => existsSync(join(dir, id)) }
}

describe('attachment replies', () => {
  it('go out with a URL made at send time, which the sandbox fetches; the file goes once sent', async () => {
    const w = await world('lea')
    const id = await w.stage()
    // Offline, and the public address is not yet what it will be.
    w.graphRef.current = null
    w.origin.current = 'http://127.0.0.1:9'
    const request = await w.attachments.replyFor({ id: 'reply-file-1', conversationId: w.conversation.id, attachmentId: id })
    const queued = await w.sender.send(request)
    expect(queued).toMatchObject({ ok: true, item: { state: 'waiting', attachment: { type: 'image', url: `parley-staged:${id}`, mime: 'image/png', size: PNG.length, name: 'menu.png' } } })
    expect(w.fileExists(id)).toBe(true)

    w.origin.current = serverOrigin
    w.graphRef.current = h.graph
    await w.sender.flush()
    const [record] = await h.sentTo(w.igsid)
    expect(record).toMatchObject({
      outcome: 'accepted',
      messaging_type: 'RESPONSE',
      message: { attachment: { type: 'image', payload: { url: `${serverOrigin}/outgoing/${id}` } } },
    })
    expect((await w.store.outbox.get('reply-file-1'))?.state).toBe('sent')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(w.fileExists(id)).toBe(false)
  })

  it('are refused before queueing when Meta cannot reach Parley (live mode without a public address)', async () => {
    const w = await world('tomas')
    const id = await w.stage()
    w.origin.current = null
    const result = await w.sender.send(await w.attachments.replyFor({ id: 'reply-file-2', conversationId: w.conversation.id, attachmentId: id }))
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'attachment_no_public_address', remedy: expect.stringContaining('Admin → Meta app') }] })
    expect(await w.store.outbox.get('reply-file-2')).toBeNull()
    expect(await h.sentTo(w.igsid)).toEqual([])
  })

  it('fail with the reason when the address is gone by send time; Discard removes the file', async () => {
    const w = await world('aylin')
    const id = await w.stage()
    w.graphRef.current = null
    await w.sender.send(await w.attachments.replyFor({ id: 'reply-file-3', conversationId: w.conversation.id, attachmentId: id }))
    w.origin.current = null
    w.graphRef.current = h.graph
    await w.sender.flush()
    expect(await w.store.outbox.get('reply-file-3')).toMatchObject({ state: 'failed', lastError: { code: 'attachment_no_public_address' } })
    expect(await h.sentTo(w.igsid)).toEqual([])
    expect(w.fileExists(id)).toBe(true)
    expect(await w.sender.discard('reply-file-3')).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(w.fileExists(id)).toBe(false)
  })

  it('never lets Meta fetch a file whose reply is not on its way', async () => {
    const w = await world('jana')
    const id = await w.stage()
    expect((await fetch(`${serverOrigin}/outgoing/${id}`)).status).toBe(404)
  })
})
