import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { EventMessage, ParleyBridge } from '../core/contract/index.ts'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.ts'

// Exactly one object reaches the page: no ipcRenderer, no Node, no generic send.
const bridge: ParleyBridge = {
  invoke: (name, input) => ipcRenderer.invoke(INVOKE_CHANNEL, { name, input }),
  on(listener) {
    const forward = (_event: IpcRendererEvent, message: EventMessage) => listener(message)
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, forward)
  },
}

contextBridge.exposeInMainWorld('parley', bridge)
