import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, session } from 'electron'
import Store from 'electron-store'
import { resolveDataDir } from '../core/app/dataDir.ts'
import { createStderrLogger } from '../core/app/logger.ts'
import { detectMode } from '../core/app/mode.ts'
import { createParley } from '../core/app/parley.ts'
import { quarantineCorruptJson, SETTINGS_FILE_NAME } from '../core/settings/settingsFile.ts'
import { registerContractIpc } from './ipc.ts'
import { createAppUrlCheck, hardenSession, hardenWebContents } from './security.ts'
import { createMainWindow } from './windows.ts'

export const DESKTOP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"

export interface DesktopPaths {
  preload: string
  rendererUrl: string
}

export function defaultPaths(bundleDir: string, env: NodeJS.ProcessEnv = process.env): DesktopPaths {
  return {
    preload: join(bundleDir, '../preload/index.cjs'),
    rendererUrl: env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(bundleDir, '../renderer/index.html')).href,
  }
}

/** The Electron host: lifecycle and windows around Parley's core. It decides nothing itself. */
export function startDesktopApp(paths: DesktopPaths, env: NodeJS.ProcessEnv = process.env): void {
  app.enableSandbox()
  const dataDir = resolveDataDir(env)
  app.setPath('userData', dataDir)

  // A second launch focuses the running Parley instead of fighting over the same store.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  const isAppUrl = createAppUrlCheck(paths.rendererUrl)
  let mainWindow: BrowserWindow | null = null
  const openMainWindow = () => {
    mainWindow = createMainWindow({ preloadPath: paths.preload, rendererUrl: paths.rendererUrl })
    mainWindow.on('closed', () => (mainWindow = null))
  }

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl))
  app.on('second-instance', () => {
    if (!mainWindow) return openMainWindow()
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  void app.whenReady().then(() => {
    const log = createStderrLogger()
    hardenSession(session.defaultSession, DESKTOP_CSP)
    const moved = quarantineCorruptJson(join(dataDir, `${SETTINGS_FILE_NAME}.json`))
    if (moved) log.warn('settings file was not valid JSON; kept it aside and started with defaults', { kept: moved })
    const settingsFile = new Store({ cwd: dataDir, name: SETTINGS_FILE_NAME })
    const parley = createParley({ version: app.getVersion(), dataDir, mode: detectMode(settingsFile), settingsFile, log })
    registerContractIpc(ipcMain, parley, isAppUrl, () => BrowserWindow.getAllWindows())
    app.on('before-quit', () => parley.stop())
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow()
    })
    openMainWindow()
  })

  // On macOS an app stays active without windows until the person quits it.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
