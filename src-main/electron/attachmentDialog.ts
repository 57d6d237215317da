import type { BrowserWindow, Dialog } from 'electron'
import type { AttachmentChooser } from '../core/inbox/outbound/attachments/index.ts'

/** What Instagram may take (meta-platform.md §6); "All files" stays, core checks the real bytes anyway. */
const FILTERS = [
  { name: 'Images, video, audio and PDF', extensions: ['png', 'jpg', 'jpeg', 'gif', 'mp4', 'mov', 'webm', 'ogg', 'avi', 'm4a', 'aac', 'wav', 'pdf'] },
  { name: 'All files', extensions: ['*'] },
]

/**
 * A4: the system's open dialog, shown by main over Parley's window. The path comes from the
 * person's choice here, never from the window, so the window cannot make main read a file.
 */
export function createAttachmentDialog(options: {
  dialog: Pick<Dialog, 'showOpenDialog'>
  parent: () => BrowserWindow | null
}): AttachmentChooser {
  return {
    async choose() {
      const settings = { title: 'Attach file', properties: ['openFile' as const], filters: FILTERS }
      const parent = options.parent()
      const result = parent ? await options.dialog.showOpenDialog(parent, settings) : await options.dialog.showOpenDialog(settings)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
  }
}
