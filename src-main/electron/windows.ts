import { BrowserWindow } from 'electron'
import { SECURE_WEB_PREFERENCES } from './security.ts'

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
      ...SECURE_WEB_PREFERENCES,
      preload: options.preloadPath,
      spellcheck: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(options.rendererUrl)
  return win
}
