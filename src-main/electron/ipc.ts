import type { BrowserWindow, IpcMain } from 'electron'
import type { Dispatcher, EventListener, Reply } from '../core/contract/index.ts'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.ts'
import { isTrustedSender } from './security.ts'

const FORBIDDEN: Reply<never> = { ok: false, error: { code: 'forbidden', message: 'This page may not talk to Parley.' } }

/** Serves the contract over Electron IPC to Parley's own windows, and forwards events to them. */
export function registerContractIpc(
  ipcMain: IpcMain,
  parley: { dispatcher: Dispatcher; events: { subscribe(listener: EventListener): () => void } },
  isAppUrl: (url: string) => boolean,
  windows: () => BrowserWindow[],
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, (event, request: unknown) => {
    if (!isTrustedSender(event.senderFrame, isAppUrl)) return FORBIDDEN
    const { name, input } = typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {}
    return parley.dispatcher.invoke(name, input)
  })
  const unsubscribe = parley.events.subscribe((message) => {
    for (const win of windows()) {
      if (!win.isDestroyed() && isAppUrl(win.webContents.getURL())) win.webContents.send(EVENT_CHANNEL, message)
    }
  })
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL)
    unsubscribe()
  }
}
