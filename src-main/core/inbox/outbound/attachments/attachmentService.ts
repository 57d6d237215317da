// A4: files in replies, end to end. The window names a conversation and hands over bytes (browser
// upload) or asks main to show the open dialog (desktop); either way the file is staged here,
// checked on its real bytes, and later served to Meta — at an address made when the reply goes
// out, because an outbox reply may wait offline while the public address changes.
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Hono } from 'hono'
import type { Logger } from '../../../app/logger.ts'
import { ParleyError } from '../../../contract/errors.ts'
import type { PickedAttachment, StagedAttachmentView } from '../../../contract/inbox.ts'
import type { Problem } from '../../../contract/integrations.ts'
import type { ContentProfile } from '../../../integrations/contentProfiles.ts'
import type { Store } from '../../../store/index.ts'
import { ATTACHMENT_LIMITS, formatBytes } from '../instagramLimits.ts'
import { preflight } from '../preflight.ts'
import type { ReplyRequest } from '../replySender.ts'
import type { AttachmentChooser } from './chooser.ts'
import { mountOutgoingFiles } from './serveRoute.ts'
import { cleanName, createStagingArea, createStoredStagingArea, type StagedFile, type StageInput, type StageOutcome } from './staging.ts'

/** The largest file Instagram takes of any type: nothing larger is worth reading in. */
export const MAX_ATTACHMENT_BYTES = Math.max(...Object.values(ATTACHMENT_LIMITS).map((rule) => rule.maxBytes))

/** The reply sender's view of staged files. */
export interface StagedFiles {
  /** The address Meta fetches the file at, made now; or why it cannot be sent now. */
  resolve(stagedId: string): Promise<{ url: string } | { problem: Problem }>
  /** The reply went out or was discarded: the file goes. */
  release(stagedId: string): Promise<void>
}

export type UploadResult = { ok: true; view: StagedAttachmentView } | { ok: false; status: 400 | 403 | 404 | 413 | 415; problem: Problem }

export interface AttachmentServiceDeps {
  /** The folder staged files live in (under the data dir). */
  dir: string
  store: Store
  profileFor: (integrationId: string) => ContentProfile | Promise<ContentProfile>
  /** Where Meta reaches Parley now (`Receiving.publicOrigin()`); null when it cannot. */
  publicOrigin: () => string | null
  chooser: () => AttachmentChooser | null
  now: () => number
  log: Logger
  maxBytes?: number
  /** A staged file no reply took is removed after this long (the window that picked it is gone). */
  abandonAfterMs?: number
  /** Team server: staged files are kept in the store, for every node, instead of under `dir`. */
  inStore?: boolean
}

/** Replies whose file must stay: they may still go out (or be retried). */
const NEEDS_FILE = new Set(['waiting', 'sending', 'ambiguous', 'failed'])
/** Meta may fetch a file only while its reply is on its way. */
const SERVABLE = new Set(['waiting', 'sending'])

const problem = (code: string, message: string, remedy: string | null, params?: Record<string, string>): Problem =>
  params ? { code, message, remedy, params } : { code, message, remedy }

export const NO_PUBLIC_ADDRESS: Problem = problem(
  'attachment_no_public_address',
  'Meta cannot fetch files from Parley: in Live mode that needs a public webhook address, and none is set.',
  'Set the public webhook address under Admin → Meta app, or send the reply as text.',
)

const MISSING: Problem = problem(
  'attachment_missing',
  'The attached file is no longer available (it was removed, or Parley was restarted before it was sent).',
  'Attach the file again.',
)

function refusal(outcome: Exclude<StageOutcome, { ok: true }>, name: string): { status: 400 | 413 | 415; problem: Problem } {
  if (outcome.reason === 'too_large') {
    const params = { name, limit: formatBytes(outcome.limit) }
    return { status: 413, problem: problem('attachment_too_large', `“${name}” is larger than ${params.limit}, the most Instagram accepts for any file.`, 'Send a smaller file.', params) }
  }
  if (outcome.reason === 'empty') return { status: 400, problem: problem('attachment_empty', `“${name}” is empty.`, 'Choose another file.', { name }) }
  const params = { name, kind: outcome.sniffed.description }
  return {
    status: 415,
    problem: problem(
      'attachment_not_media',
      `“${name}” is not an image, video, audio or PDF file (its content is ${params.kind}), so Instagram cannot take it.`,
      'Send images as PNG, JPEG or GIF, video as MP4, documents as PDF.',
      params,
    ),
  }
}

export function createAttachmentService(deps: AttachmentServiceDeps) {
  const { store, log } = deps
  const maxBytes = deps.maxBytes ?? MAX_ATTACHMENT_BYTES
  const staging = deps.inStore
    ? createStoredStagingArea({ files: store.stagedFiles, maxBytes, now: deps.now })
    : createStagingArea({ dir: deps.dir, maxBytes, now: deps.now })
  const abandonAfterMs = deps.abandonAfterMs ?? 24 * 60 * 60 * 1000

  /** Whether the reply that took this file may still need it. */
  async function stillNeeded(file: StagedFile): Promise<boolean> {
    if (file.replyId === null) return false
    const reply = await store.outbox.get(file.replyId)
    return reply !== null && NEEDS_FILE.has(reply.state)
  }

  const conversationOf = async (conversationId: string) => {
    const conversation = await store.conversations.get(conversationId)
    if (!conversation) throw new ParleyError('not_found', 'That conversation does not exist.')
    return conversation
  }

  async function stage(conversationId: string, input: Omit<StageInput, 'conversationId'>): Promise<UploadResult> {
    const conversation = await conversationOf(conversationId)
    const name = cleanName(input.name)
    // Files picked and then left (the window closed) do not pile up.
    void staging.sweep(async (file) => file.replyId !== null || deps.now() - file.stagedAt < abandonAfterMs).catch(() => 0)
    const outcome = await staging.stage({ ...input, conversationId, name })
    if (!outcome.ok) {
      log.info('attachment refused', { conversationId, reason: outcome.reason })
      return { ok: false, ...refusal(outcome, name) }
    }
    const { file } = outcome
    const problems: Problem[] = preflight({ attachment: { type: file.type, mimeType: file.mime, sizeBytes: file.size } }, await deps.profileFor(conversation.integrationId))
    if (deps.publicOrigin() === null) problems.push(NO_PUBLIC_ADDRESS)
    // A file that cannot be sent is not kept: the view still says why.
    if (problems.length > 0) await staging.remove(file.id)
    log.info('attachment staged', { conversationId, attachmentId: file.id, mime: file.mime, size: file.size, problems: problems.map((p) => p.code).join(',') })
    return { ok: true, view: { id: file.id, name: file.name, type: file.type, mime: file.mime, size: file.size, problems } }
  }

  const forSender: StagedFiles = {
    async resolve(stagedId) {
      const file = await staging.get(stagedId)
      if (!file) return { problem: MISSING }
      const origin = deps.publicOrigin()
      if (origin === null) return { problem: NO_PUBLIC_ADDRESS }
      return { url: new URL(`outgoing/${stagedId}`, origin.endsWith('/') ? origin : `${origin}/`).href }
    },
    async release(stagedId) {
      await staging.remove(stagedId)
    },
  }

  return {
    /** The browser host's upload (POST /attachments): the bytes as they arrive, counted. */
    async upload(input: { conversationId: string; name: string; chunks: AsyncIterable<Uint8Array>; declaredSize?: number }): Promise<UploadResult> {
      try {
        return await stage(input.conversationId, input)
      } catch (error) {
        if (error instanceof ParleyError && error.code === 'not_found') return { ok: false, status: 404, problem: problem('not_found', error.message, null) }
        throw error
      }
    },

    /** The desktop host: main shows the open dialog and stages the chosen file; neither when cancelled. */
    async pick(conversationId: string): Promise<PickedAttachment> {
      await conversationOf(conversationId)
      const chooser = deps.chooser()
      if (!chooser) throw new ParleyError('attachment_no_dialog', 'This window picks files itself: use the Attach file button.')
      const path = await chooser.choose()
      if (path === null) return { attachment: null, problem: null }
      const handle = await open(path, 'r').catch(() => null)
      if (!handle) throw new ParleyError('attachment_unreadable', `Parley could not read “${cleanName(basename(path))}”.`)
      try {
        const info = await handle.stat()
        if (!info.isFile()) throw new ParleyError('attachment_unreadable', `“${cleanName(basename(path))}” is not a file.`)
        const result = await stage(conversationId, { name: basename(path), chunks: handle.createReadStream({ autoClose: false }), declaredSize: info.size })
        return result.ok ? { attachment: result.view, problem: null } : { attachment: null, problem: result.problem }
      } finally {
        await handle.close()
      }
    },

    /** The conversation a staged file was picked for; null when it is gone. */
    async conversationOf(id: string): Promise<string | null> {
      return (await staging.get(id))?.conversationId ?? null
    },

    /** The agent removed the file before sending: it goes, unless a reply already took it. */
    async discard(id: string): Promise<void> {
      const file = await staging.get(id)
      if (file && !(await stillNeeded(file))) await staging.remove(id)
    },

    /**
     * The reply request for `inbox.send` with a staged file: tied to that reply before it is
     * queued, so Meta may fetch the file while it is being sent. Main's own record of the file
     * (type from its bytes, size) goes into the reply, never what the window says.
     */
    async replyFor(input: { id: string; conversationId: string; attachmentId: string }): Promise<ReplyRequest> {
      const file = await staging.get(input.attachmentId)
      if (!file || file.conversationId !== input.conversationId) throw new ParleyError(MISSING.code, `${MISSING.message} ${MISSING.remedy}`)
      if (file.replyId !== null && file.replyId !== input.id && (await stillNeeded(file))) {
        throw new ParleyError('attachment_in_use', 'This file is already part of another reply.')
      }
      await staging.link(file.id, input.id)
      return {
        id: input.id,
        conversationId: input.conversationId,
        attachment: { stagedId: file.id, type: file.type, mimeType: file.mime, sizeBytes: file.size, name: file.name },
      }
    },

    /** The reply was refused before it was queued: the file is the composer's again. */
    async untie(attachmentId: string, replyId: string): Promise<void> {
      const file = await staging.get(attachmentId)
      if (file?.replyId === replyId && !(await store.outbox.get(replyId))) await staging.link(attachmentId, null)
    },

    forSender,

    /** The files as Meta fetches them, beside the webhook (`startReceiving({ mount })`). */
    mount(app: Hono) {
      mountOutgoingFiles(app, async (id) => {
        const opened = await staging.open(id)
        if (!opened || opened.file.replyId === null) return null
        const reply = await store.outbox.get(opened.file.replyId)
        return reply && SERVABLE.has(reply.state) ? opened : null
      })
    },

    /** At start: what no reply needs any more, and what an interrupted copy left, goes. */
    async start(): Promise<number> {
      const removed = await staging.sweep(stillNeeded, { leftovers: true })
      if (removed > 0) log.info('staged attachments removed', { count: removed })
      return removed
    },
  }
}

export type AttachmentService = ReturnType<typeof createAttachmentService>
