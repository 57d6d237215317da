import { BrowserWindow } from 'electron'

export interface MainWindowOptions {
  preloadPath: string
  /** file:// URL of the built renderer, or the dev server's URL. */
  rendererUrl: string
}

/** The one place windows are made, so every window gets the same security baseline. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Parley',
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(options.rendererUrl)
  return win
}
