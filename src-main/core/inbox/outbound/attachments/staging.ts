// The files agents attach to replies, held under the data dir until Meta has fetched them. Each
// is named by an unguessable id (never by anything the window sent) and described by a small JSON
// file beside it, so a reply waiting in the outbox across a restart still finds its file.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { OutboundAttachmentType } from '../instagramLimits.ts'
import { sniff, SNIFF_BYTES, type Sniffed } from './sniff.ts'

export interface StagedFile {
  id: string
  conversationId: string
  /** The name the agent's file had (for people; never used as a path). */
  name: string
  mime: string
  type: OutboundAttachmentType
  size: number
  stagedAt: number
  /** The reply that sends it, once the agent pressed Send. */
  replyId: string | null
}

export type StageOutcome =
  | { ok: true; file: StagedFile }
  | { ok: false; reason: 'too_large'; size: number; limit: number }
  | { ok: false; reason: 'not_media'; sniffed: Sniffed }
  | { ok: false; reason: 'empty' }

export interface StageInput {
  conversationId: string
  name: string
  chunks: AsyncIterable<Uint8Array>
  /** Bytes the source says it has; a larger one is refused before reading. */
  declaredSize?: number
}

const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/
/** Ids are 24 random bytes: whoever can reach the file server cannot guess one. */
export const isStagedId = (value: string) => ID_PATTERN.test(value)

/** A name as people see it: no folders, no control characters, not endless. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const printable = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  return (printable || 'attachment').slice(0, 200)
}

export function createStagingArea(options: { dir: string; maxBytes: number; now: () => number }) {
  const { dir, maxBytes } = options
  const bytesPath = (id: string) => join(dir, id)
  const metaPath = (id: string) => join(dir, `${id}.json`)
  let ready: Promise<unknown> | null = null
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }))

  async function read(id: string): Promise<StagedFile | null> {
    if (!isStagedId(id)) return null
    try {
      return JSON.parse(await readFile(metaPath(id), 'utf8')) as StagedFile
    } catch {
      return null
    }
  }

  async function writeMeta(file: StagedFile) {
    const temp = `${metaPath(file.id)}.tmp`
    await writeFile(temp, JSON.stringify(file), { mode: 0o600 })
    await rename(temp, metaPath(file.id))
  }

  async function remove(id: string) {
    if (!isStagedId(id)) return
    await rm(metaPath(id), { force: true })
    await rm(bytesPath(id), { force: true })
    await rm(`${bytesPath(id)}.part`, { force: true })
    await rm(`${metaPath(id)}.tmp`, { force: true })
  }

  return {
    dir,
    maxBytes,

    /**
     * Copies the bytes in while counting them: past `maxBytes` it stops reading and keeps nothing;
     * so it does when the first bytes show no image, video, audio or PDF.
     */
    async stage(input: StageInput): Promise<StageOutcome> {
      if (input.declaredSize !== undefined && input.declaredSize > maxBytes) return { ok: false, reason: 'too_large', size: input.declaredSize, limit: maxBytes }
      await ensureDir()
      const id = randomBytes(24).toString('base64url')
      const part = `${bytesPath(id)}.part`
      const handle = await open(part, 'wx', 0o600)
      let size = 0
      let head = Buffer.alloc(0)
      let sniffed: Sniffed | null = null
      let outcome: StageOutcome | null = null
      try {
        for await (const chunk of input.chunks) {
          size += chunk.byteLength
          if (size > maxBytes) {
            outcome = { ok: false, reason: 'too_large', size, limit: maxBytes }
            break
          }
          if (!sniffed) {
            head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES)
            if (head.length >= SNIFF_BYTES) sniffed = sniff(head)
            if (sniffed && sniffed.type === null) {
              outcome = { ok: false, reason: 'not_media', sniffed }
              break
            }
          }
          await handle.write(chunk)
        }
        if (!outcome) {
          sniffed ??= sniff(head)
          if (size === 0) outcome = { ok: false, reason: 'empty' }
          else if (sniffed.type === null) outcome = { ok: false, reason: 'not_media', sniffed }
        }
      } finally {
        await handle.close()
      }
      if (outcome) {
        await rm(part, { force: true })
        return outcome
      }
      const file: StagedFile = {
        id, conversationId: input.conversationId, name: cleanName(input.name), mime: sniffed!.mime, type: sniffed!.type!, size, stagedAt: options.now(), replyId: null,
      }
      await rename(part, bytesPath(id))
      await writeMeta(file)
      return { ok: true, file }
    },

    get: read,

    /** Ties the file to the reply that sends it (null: untied again, the reply was refused). */
    async link(id: string, replyId: string | null): Promise<StagedFile | null> {
      const file = await read(id)
      if (!file) return null
      const linked = { ...file, replyId }
      await writeMeta(linked)
      return linked
    },

    remove,

    /** The bytes, for Meta: only when the file on disk is still exactly what was staged. */
    async open(id: string): Promise<{ file: StagedFile; stream: () => Readable } | null> {
      const file = await read(id)
      if (!file) return null
      const info = await stat(bytesPath(id)).catch(() => null)
      if (!info?.isFile() || info.size !== file.size) return null
      return { file, stream: () => createReadStream(bytesPath(id)) }
    },

    /**
     * Removes every staged file `keep` says is no longer needed. With `leftovers` (at start, when no
     * copy can be running) also what an interrupted copy or a foreign hand left in the folder.
     */
    async sweep(keep: (file: StagedFile) => boolean | Promise<boolean>, { leftovers = false } = {}): Promise<number> {
      const names = await readdir(dir).catch(() => [] as string[])
      const ids = new Set<string>()
      let removed = 0
      for (const name of names) {
        const id = name.split('.')[0]!
        if (isStagedId(id)) ids.add(id)
        else if (leftovers) await rm(join(dir, name), { force: true, recursive: true })
      }
      for (const id of ids) {
        const file = await read(id)
        if (!file && !leftovers) continue
        const present = file ? await stat(bytesPath(id)).then((s) => s.isFile(), () => false) : false
        if (file && present && (await keep(file))) continue
        await remove(id)
        removed++
      }
      return removed
    },
  }
}

export type StagingArea = ReturnType<typeof createStagingArea>
