// A4 in the browser host: the window uploads the file the person picked (`<input type="file">`)
// as the raw request body. It sits behind the launch key like everything else here; the bytes
// are counted while read, and core decides what the file is from them, not from the name or type.
import type { Context, Hono } from 'hono'
import type { CallContext } from '../core/contract/context.ts'
import type { Problem } from '../core/contract/integrations.ts'
import type { UploadResult } from '../core/inbox/outbound/attachments/index.ts'

export const ATTACHMENT_UPLOAD_PATH = '/attachments'
/** The file's name, percent-encoded (headers carry ASCII only). */
export const FILE_NAME_HEADER = 'x-parley-file-name'

export interface AttachmentUploads {
  /** With a context (team server), only into a conversation that person may answer. */
  upload(input: { conversationId: string; name: string; chunks: AsyncIterable<Uint8Array>; declaredSize?: number }, context?: CallContext): Promise<UploadResult>
}

export interface UploadGuard {
  /** Only the server's own window may upload (a page of another site is refused outright). */
  sameOrigin(c: Context): boolean
  /** Who uploads: null when nobody is signed in (refused); undefined on a workstation (its one user). */
  who?(c: Context): Promise<CallContext | null>
}

const refuse = (status: 400 | 401 | 403 | 404 | 413 | 415, problem: Problem) =>
  new Response(JSON.stringify(problem), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } })

function fileName(header: string | undefined): string {
  if (!header) return 'attachment'
  try {
    return decodeURIComponent(header)
  } catch {
    return header
  }
}

/** POST /attachments?conversationId=… → the staged attachment, or 400/401/403/404/413/415 with a Problem. */
export function mountAttachmentUpload(app: Hono, uploads: AttachmentUploads, guard: UploadGuard): void {
  app.post(ATTACHMENT_UPLOAD_PATH, async (c) => {
    // The cookie is SameSite=Strict already; a page of another origin is refused outright too.
    if (!guard.sameOrigin(c)) return refuse(403, { code: 'forbidden', message: 'Only Parley’s own window may upload files.', remedy: null })
    const context = guard.who ? await guard.who(c) : undefined
    if (context === null) return refuse(401, { code: 'not_signed_in', message: 'Sign in to Parley.', remedy: null })
    const conversationId = c.req.query('conversationId')
    if (!conversationId || conversationId.length > 200) {
      return refuse(400, { code: 'invalid_input', message: 'Say which conversation the file is for (?conversationId=…).', remedy: null })
    }
    const declared = Number(c.req.header('content-length'))
    const body = c.req.raw.body
    const result = await uploads.upload({
      conversationId,
      name: fileName(c.req.header(FILE_NAME_HEADER)),
      chunks: body ?? (async function* () {})(),
      ...(Number.isFinite(declared) && declared >= 0 ? { declaredSize: declared } : {}),
    }, context)
    if (!result.ok) return refuse(result.status, result.problem)
    return c.json(result.view, 200)
  })
}
