// The files agents attach to replies, held until Meta has fetched them. Each is named by an
// unguessable id (never by anything the window sent). A workstation keeps them under its data dir,
// each described by a small JSON file beside it; a team server keeps them in its database, where
// whichever node Meta reaches can serve them. Either way a reply waiting in the outbox across a
// restart still finds its file.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { StagedFile, StagedFileRepository } from '../../../store/index.ts'
import { sniff, SNIFF_BYTES, type Sniffed } from './sniff.ts'

export type { StagedFile }

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

type Refusal = Exclude<StageOutcome, { ok: true }>

/**
 * Reads the bytes in while counting them: past `maxBytes` it stops reading and keeps nothing; so
 * it does when the first bytes show no image, video, audio or PDF. `write` takes each chunk kept.
 */
async function copyIn(input: StageInput, maxBytes: number, write: (chunk: Uint8Array) => Promise<unknown> | unknown): Promise<{ size: number; sniffed: Sniffed } | Refusal> {
  if (input.declaredSize !== undefined && input.declaredSize > maxBytes) return { ok: false, reason: 'too_large', size: input.declaredSize, limit: maxBytes }
  let size = 0
  let head = Buffer.alloc(0)
  let sniffed: Sniffed | null = null
  for await (const chunk of input.chunks) {
    size += chunk.byteLength
    if (size > maxBytes) return { ok: false, reason: 'too_large', size, limit: maxBytes }
    if (!sniffed) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES)
      if (head.length >= SNIFF_BYTES) sniffed = sniff(head)
      if (sniffed && sniffed.type === null) return { ok: false, reason: 'not_media', sniffed }
    }
    await write(chunk)
  }
  sniffed ??= sniff(head)
  if (size === 0) return { ok: false, reason: 'empty' }
  if (sniffed.type === null) return { ok: false, reason: 'not_media', sniffed }
  return { size, sniffed }
}

const newStagedId = () => randomBytes(24).toString('base64url')

const describe = (id: string, input: StageInput, copied: { size: number; sniffed: Sniffed }, at: number): StagedFile => ({
  id, conversationId: input.conversationId, name: cleanName(input.name), mime: copied.sniffed.mime, type: copied.sniffed.type!, size: copied.size, stagedAt: at, replyId: null,
})

/** Where staged files are kept: what the attachment service asks of either place. */
export interface StagingArea {
  maxBytes: number
  stage(input: StageInput): Promise<StageOutcome>
  get(id: string): Promise<StagedFile | null>
  /** Ties the file to the reply that sends it (null: untied again, the reply was refused). */
  link(id: string, replyId: string | null): Promise<StagedFile | null>
  remove(id: string): Promise<void>
  /** The bytes, for Meta: only when they are still exactly what was staged. */
  open(id: string): Promise<{ file: StagedFile; stream: () => Readable } | null>
  /**
   * Removes every staged file `keep` says is no longer needed. With `leftovers` (at start, when no
   * copy can be running) also what an interrupted copy or a foreign hand left behind.
   */
  sweep(keep: (file: StagedFile) => boolean | Promise<boolean>, options?: { leftovers?: boolean }): Promise<number>
}

/** A team server's staged files: in the database, so any node can take the upload, send the reply and serve the file. */
export function createStoredStagingArea(options: { files: StagedFileRepository; maxBytes: number; now: () => number }): StagingArea {
  const { files, maxBytes } = options
  const get = (id: string) => (isStagedId(id) ? files.get(id) : Promise.resolve(null))
  return {
    maxBytes,
    async stage(input) {
      const chunks: Uint8Array[] = []
      const copied = await copyIn(input, maxBytes, (chunk) => void chunks.push(chunk))
      if ('ok' in copied) return copied
      const file = describe(newStagedId(), input, copied, options.now())
      await files.put(file, Buffer.concat(chunks))
      return { ok: true, file }
    },
    get,
    link: (id, replyId) => (isStagedId(id) ? files.link(id, replyId) : Promise.resolve(null)),
    remove: async (id) => void (isStagedId(id) && (await files.remove(id))),
    async open(id) {
      const file = await get(id)
      const bytes = file ? await files.bytes(id) : null
      if (!file || !bytes || bytes.length !== file.size) return null
      return { file, stream: () => Readable.from([bytes]) }
    },
    async sweep(keep) {
      let removed = 0
      for (const file of await files.list()) {
        if (await keep(file)) continue
        await files.remove(file.id)
        removed++
      }
      return removed
    },
  }
}

/** A workstation's staged files: under its data dir, the bytes and a JSON description each. */
export function createStagingArea(options: { dir: string; maxBytes: number; now: () => number }): StagingArea {
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
    maxBytes,

    /**
     * Copies the bytes in while counting them: past `maxBytes` it stops reading and keeps nothing;
     * so it does when the first bytes show no image, video, audio or PDF.
     */
    async stage(input: StageInput): Promise<StageOutcome> {
      if (input.declaredSize !== undefined && input.declaredSize > maxBytes) return { ok: false, reason: 'too_large', size: input.declaredSize, limit: maxBytes }
      await ensureDir()
      const id = newStagedId()
      const part = `${bytesPath(id)}.part`
      const handle = await open(part, 'wx', 0o600)
      let copied: Awaited<ReturnType<typeof copyIn>>
      try {
        copied = await copyIn(input, maxBytes, (chunk) => handle.write(chunk))
      } finally {
        await handle.close()
      }
      if ('ok' in copied) {
        await rm(part, { force: true })
        return copied
      }
      const file = describe(id, input, copied, options.now())
      await rename(part, bytesPath(id))
      await writeMeta(file)
      return { ok: true, file }
    },

    get: read,

    async link(id: string, replyId: string | null): Promise<StagedFile | null> {
      const file = await read(id)
      if (!file) return null
      const linked = { ...file, replyId }
      await writeMeta(linked)
      return linked
    },

    remove,

    async open(id: string): Promise<{ file: StagedFile; stream: () => Readable } | null> {
      const file = await read(id)
      if (!file) return null
      const info = await stat(bytesPath(id)).catch(() => null)
      if (!info?.isFile() || info.size !== file.size) return null
      return { file, stream: () => createReadStream(bytesPath(id)) }
    },

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

