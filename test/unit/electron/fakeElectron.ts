import { EventEmitter } from 'node:events'
import { vi } from 'vitest'

// The real 'electron' module throws where its binary is absent. This stand-in records what the
// host asks of Electron, so the host's decisions can be checked; the binary itself is not run here.

export class FakeWebContents extends EventEmitter {
  url = ''
  openHandler: ((details: { url: string }) => { action: string }) | undefined
  sent: [string, unknown][] = []
  /** Scripts main ran in the page (the story viewer's hide on blur). */
  executed: string[] = []
  executeJavaScript(code: string) {
    this.executed.push(code)
    return Promise.resolve(undefined)
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler
  }
  getURL() {
    return this.url
  }
  send(channel: string, message: unknown) {
    this.sent.push([channel, message])
  }
  /** Emits an event the way Electron does and reports whether the page's action was blocked. */
  attempt(eventName: string, url: string): boolean {
    let prevented = false
    this.emit(eventName, { preventDefault: () => (prevented = true) }, url)
    return prevented
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = []
  static getAllWindows() {
    return FakeBrowserWindow.all
  }
  options: Record<string, unknown>
  webContents = new FakeWebContents()
  loaded: string | undefined
  shown = false
  focused = false
  minimized = false
  destroyed = false
  contentProtected = false
  menu: unknown = 'default'
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.all.push(this)
  }
  loadURL(url: string) {
    this.loaded = url
    this.webContents.url = url
    return Promise.resolve()
  }
  show() {
    this.shown = true
  }
  setContentProtection(enabled: boolean) {
    this.contentProtected = enabled
  }
  setMenu(menu: unknown) {
    this.menu = menu
  }
  /** The window loses focus, as when the person clicks elsewhere. */
  blur() {
    this.focused = false
    this.emit('blur')
  }
  focus() {
    this.focused = true
  }
  isMinimized() {
    return this.minimized
  }
  restore() {
    this.minimized = false
  }
  isDestroyed() {
    return this.destroyed
  }
  close() {
    this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    FakeBrowserWindow.all = FakeBrowserWindow.all.filter((w) => w !== this)
    this.emit('closed')
  }
}

export function createFakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    paths: {} as Record<string, string>,
    singleInstance: true,
    quitCalled: false,
    sandboxEnabled: false,
    readyResolve: undefined as (() => void) | undefined,
    ready: undefined as Promise<void> | undefined,
    enableSandbox() {
      this.sandboxEnabled = true
    },
    setPath(name: string, value: string) {
      this.paths[name] = value
    },
    getPath(name: string) {
      return this.paths[name] ?? `/tmp/fake-electron/${name}`
    },
    getVersion: () => '0.1.0',
    requestSingleInstanceLock() {
      return this.singleInstance
    },
    quit() {
      this.quitCalled = true
    },
    whenReady() {
      this.ready ??= new Promise<void>((resolve) => (this.readyResolve = resolve))
      return this.ready
    },
  })
  const ipcMain = {
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      this.handlers.set(channel, handler)
    },
    removeHandler(channel: string) {
      this.handlers.delete(channel)
    },
    on: vi.fn(),
  }
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => ({ ok: true, value: null })) })
  const contextBridge = { exposed: new Map<string, unknown>(), exposeInMainWorld: vi.fn((key: string, api: unknown) => contextBridge.exposed.set(key, api)) }
  // protocol.handle per session: the handlers, so a test can send them requests as Chromium would.
  const makeProtocol = () => ({
    handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
      if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`)
      this.handlers.set(scheme, handler)
    },
    unhandle(scheme: string) {
      this.handlers.delete(scheme)
    },
    isProtocolHandled(scheme: string) {
      return this.handlers.has(scheme)
    },
    /** A request as the page would make it, answered by the registered handler (404 when none). */
    async request(url: string, init?: RequestInit): Promise<Response> {
      const handler = this.handlers.get(new URL(url).protocol.replace(/:$/, ''))
      return handler ? handler(new Request(url, init)) : new Response(null, { status: 404 })
    },
  })
  const makeSession = () => ({
    protocol: makeProtocol(),
    permissionRequest: undefined as undefined | ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((...args: unknown[]) => boolean),
    headersHook: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
    setPermissionRequestHandler(handler: typeof this.permissionRequest) {
      this.permissionRequest = handler
    },
    setPermissionCheckHandler(handler: typeof this.permissionCheck) {
      this.permissionCheck = handler
    },
    webRequest: {
      onHeadersReceived(this: void, hook: (details: unknown, callback: (response: unknown) => void) => void) {
        void hook
      },
    },
    cleared: 0,
    clearStorageData() {
      this.cleared++
      return Promise.resolve()
    },
    cachesCleared: 0,
    clearCache() {
      this.cachesCleared++
      return Promise.resolve()
    },
  })
  const defaultSession = makeSession()
  defaultSession.webRequest.onHeadersReceived = (hook) => void (defaultSession.headersHook = hook)
  const partitions = new Map<string, ReturnType<typeof makeSession>>()
  const fromPartition = (name: string) => {
    if (!partitions.has(name)) partitions.set(name, makeSession())
    return partitions.get(name)!
  }
  const shell = { openExternal: vi.fn(async () => undefined), openPath: vi.fn() }
  const dialog = { showErrorBox: vi.fn() }
  // Reversible stand-in for OS encryption: enough to tell ciphertext from plain text on disk.
  const safeStorage = {
    available: true,
    backend: 'gnome_libsecret',
    isEncryptionAvailable() {
      return this.available
    },
    getSelectedStorageBackend() {
      return this.backend
    },
    encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (sealed: Buffer) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8'),
  }
  const protocol = {
    privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]) {
      this.privileged.push(...schemes)
    },
  }
  FakeBrowserWindow.all = []
  return {
    app, ipcMain, ipcRenderer, contextBridge, dialog, safeStorage, protocol, session: { defaultSession, fromPartition }, shell, BrowserWindow: FakeBrowserWindow,
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>

/** For `vi.mock('electron', mockElectron)`: a fresh fake for every module registry. */
export async function mockElectron() {
  const fake = createFakeElectron()
  return { ...fake, default: fake }
}
