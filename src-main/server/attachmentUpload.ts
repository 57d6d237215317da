// A4 in the browser host: the window uploads the file the person picked (`<input type="file">`)
// as the raw request body. It sits behind the launch key like everything else here; the bytes
// are counted while read, and core decides what the file is from them, not from the name or type.
import type { Hono } from 'hono'
import type { Problem } from '../core/contract/integrations.ts'
import type { UploadResult } from '../core/inbox/outbound/attachments/index.ts'

export const ATTACHMENT_UPLOAD_PATH = '/attachments'
/** The file's name, percent-encoded (headers carry ASCII only). */
export const FILE_NAME_HEADER = 'x-parley-file-name'

export interface AttachmentUploads {
  upload(input: { conversationId: string; name: string; chunks: AsyncIterable<Uint8Array>; declaredSize?: number }): Promise<UploadResult>
}

const refuse = (status: 400 | 403 | 404 | 413 | 415, problem: Problem) =>
  new Response(JSON.stringify(problem), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } })

function fileName(header: string | undefined): string {
  if (!header) return 'attachment'
  try {
    return decodeURIComponent(header)
  } catch {
    return header
  }
}

/** POST /attachments?conversationId=… → the staged attachment, or 400/403/404/413/415 with a Problem. */
export function mountAttachmentUpload(app: Hono, uploads: AttachmentUploads, port: () => number): void {
  app.post(ATTACHMENT_UPLOAD_PATH, async (c) => {
    // The key cookie is SameSite=Strict already; a page of another origin is refused outright too.
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== `http://127.0.0.1:${port()}` && origin !== `http://localhost:${port()}`) {
      return refuse(403, { code: 'forbidden', message: 'Only Parley’s own window may upload files.', remedy: null })
    }
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
    })
    if (!result.ok) return refuse(result.status, result.problem)
    return c.json(result.view, 200)
  })
}
