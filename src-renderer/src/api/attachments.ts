import type { Problem, StagedAttachmentView } from '../../../src-main/core/contract/index.ts'
import type { ApiClient } from './client.ts'

/** A file picked and staged by main, or why main refused it; null when the person cancelled. */
export type PickResult = { attachment: StagedAttachmentView } | { problem: Problem } | null

export interface AttachmentPicker {
  /** Lets the person choose a file for `conversationId` and has main stage it. `onBusy`: a file was chosen and is on its way to main. */
  pick(conversationId: string, onBusy?: () => void): Promise<PickResult>
}

/** What Instagram may take; a hint for the browser's chooser only — main reads the real bytes. */
const ACCEPT = 'image/png,image/jpeg,image/gif,video/*,audio/*,application/pdf,.png,.jpg,.jpeg,.gif,.mp4,.mov,.webm,.ogg,.avi,.m4a,.aac,.wav,.pdf'

/**
 * A4: one way to attach a file, whichever host serves the window. The desktop app asks main to
 * show the system's open dialog (the window never names a path); the browser picks the file with
 * `<input type="file">` and uploads its bytes to the browser host (the launch-key cookie goes along).
 */
export function createAttachmentPicker(connection: { api: ApiClient; transport: 'ipc' | 'websocket' }, win: Window = window): AttachmentPicker {
  if (connection.transport === 'ipc') {
    return {
      async pick(conversationId, onBusy) {
        onBusy?.()
        const picked = await connection.api.call('inbox.pickAttachment', { conversationId })
        if (picked.problem) return { problem: picked.problem }
        return picked.attachment ? { attachment: picked.attachment } : null
      },
    }
  }

  let open: HTMLInputElement | null = null
  const choose = () =>
    new Promise<File | null>((resolve) => {
      // A chooser left open without an answer is replaced, never stacked.
      open?.remove()
      const input = win.document.createElement('input')
      input.type = 'file'
      input.accept = ACCEPT
      input.hidden = true
      input.dataset.attachmentInput = ''
      const done = (file: File | null) => {
        input.remove()
        if (open === input) open = null
        resolve(file)
      }
      input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true })
      input.addEventListener('cancel', () => done(null), { once: true })
      win.document.body.append(input)
      open = input
      input.click()
    })

  return {
    async pick(conversationId, onBusy) {
      const file = await choose()
      if (!file) return null
      onBusy?.()
      const response = await win.fetch(`/attachments?conversationId=${encodeURIComponent(conversationId)}`, {
        method: 'POST',
        body: file,
        credentials: 'same-origin',
        headers: { 'x-parley-file-name': encodeURIComponent(file.name) },
      })
      const body = (await response.json().catch(() => null)) as StagedAttachmentView | Problem | null
      if (response.ok && body && 'id' in body) return { attachment: body }
      if (body && 'code' in body) return { problem: body }
      return { problem: { code: 'attachment_upload_failed', message: `The file could not be sent to Parley (HTTP ${response.status}).`, remedy: 'Try again.' } }
    },
  }
}
