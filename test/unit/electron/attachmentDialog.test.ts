import { describe, expect, it, vi } from 'vitest'
import type { BrowserWindow, Dialog } from 'electron'
import { createAttachmentDialog } from '../../../src-main/electron/attachmentDialog.ts'

// A4, desktop: the open dialog is main's; the window only asks for it.
describe('the attachment dialog', () => {
  it('opens one file over Parley’s window and gives its path', async () => {
    const parent = { id: 1 } as unknown as BrowserWindow
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/agent/menu.png'] }))
    const chooser = createAttachmentDialog({ dialog: { showOpenDialog } as unknown as Pick<Dialog, 'showOpenDialog'>, parent: () => parent })
    expect(await chooser.choose()).toBe('/home/agent/menu.png')
    expect(showOpenDialog).toHaveBeenCalledWith(parent, expect.objectContaining({ properties: ['openFile'] }))
  })

  it('gives null when the person cancels, and works without a window', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: true, filePaths: [] }))
    const chooser = createAttachmentDialog({ dialog: { showOpenDialog } as unknown as Pick<Dialog, 'showOpenDialog'>, parent: () => null })
    expect(await chooser.choose()).toBeNull()
    expect(showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: ['openFile'] }))
  })
})
