import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron'
import Store from 'electron-store'
import { bootParley, openWorkstation } from '../core/app/boot.ts'
import { startDesktopParley } from '../core/teamClient/desktopParley.ts'
import type { Parley } from '../core/app/parley.ts'
import { LIVE_WEB_BASE } from '../core/meta/metaBackend.ts'
import { resolveDataDir } from '../core/app/dataDir.ts'
import { desktopMediaPath, MEDIA_SCHEME } from '../core/inbox/media/mediaPaths.ts'
import { registerContractIpc } from './ipc.ts'
import { createDesktopLoginPresenter, LOGIN_PARTITION } from './loginWindow.ts'
import { createAttachmentDialog } from './attachmentDialog.ts'
import { createDesktopNotificationPresenter } from './notifications.ts'
import { openSafeStorageStore, SAFE_STORAGE_FILE } from './safeStorageStore.ts'
import { createAppUrlCheck, createLoginSiteCheck, denyPermissions, hardenSession, hardenWebContents } from './security.ts'
import { createDesktopStoryPresenter, STORY_SCHEME } from './storyViewer.ts'
import { createMainWindow } from './windows.ts'

export const DESKTOP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: parley-media:; media-src parley-media:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"

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
  // Before ready, as Electron requires: media through main for the window, the story viewer's page.
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
    { scheme: STORY_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ])

  const isAppUrl = createAppUrlCheck(paths.rendererUrl)
  // Only the Facebook login window may leave Parley's page, and only for Facebook (or the sandbox).
  const loginContents = new WeakSet<WebContents>()
  let parley: Parley | null = null
  /** Team mode: the dialog's site is the one the server named (Facebook, or the server's sandbox). */
  let serverLoginSite: string | null = null
  const isLoginSite = createLoginSiteCheck(() => parley?.meta.backend().webBase ?? serverLoginSite ?? LIVE_WEB_BASE)
  const mayNavigate = (contents: WebContents, url: string) => (loginContents.has(contents) ? isLoginSite(url) : isAppUrl(url))
  let mainWindow: BrowserWindow | null = null
  const openMainWindow = () => {
    mainWindow = createMainWindow({ preloadPath: paths.preload, rendererUrl: paths.rendererUrl })
    mainWindow.on('closed', () => (mainWindow = null))
  }

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, mayNavigate))
  app.on('second-instance', () => {
    if (!mainWindow) return openMainWindow()
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, DESKTOP_CSP)
    denyPermissions(session.fromPartition(LOGIN_PARTITION))
    const desktopLogin = createDesktopLoginPresenter({ loginContents, parent: () => mainWindow })
    const loginPresenter: typeof desktopLogin = {
      ...desktopLogin,
      present(login, onRedirect) {
        serverLoginSite = new URL(login.url).origin
        return desktopLogin.present(login, onRedirect)
      },
    }
    const attachmentDialog = createAttachmentDialog({ dialog, parent: () => mainWindow })
    const storyPresenter = createDesktopStoryPresenter({ parent: () => mainWindow })
    const notifier = createDesktopNotificationPresenter(() => mainWindow)
    const workstation = await openWorkstation({
      env,
      openSettingsFile: (cwd, name) => new Store({ cwd, name }),
      secretFallback: (dir, file) => {
        const accepted = (file.get('secrets') as { allowUnprotected?: unknown } | undefined)?.allowUnprotected === true
        return openSafeStorageStore(safeStorage, join(dir, SAFE_STORAGE_FILE), accepted)
      },
    })
    // This computer only, or a Parley server: the choice in config.json decides what runs here.
    const booted = await startDesktopParley({
      settingsFile: workstation.settingsFile,
      secrets: workstation.secrets,
      bootLocal: async () => {
        const local = await bootParley({ version: app.getVersion(), env, workstation })
        parley = local
        local.setLoginPresenter(loginPresenter)
        local.setAttachmentChooser(attachmentDialog)
        local.setStoryPresenter(storyPresenter)
        local.setNotificationPresenter(notifier)
        return local
      },
      presenters: { login: loginPresenter, story: storyPresenter, notifier, chooser: attachmentDialog },
      relaunch: () => {
        app.relaunch()
        app.exit(0)
      },
      log: workstation.log,
    })
    // The main window's session only: the login window and the story viewer have their own.
    session.defaultSession.protocol.handle(MEDIA_SCHEME, (request) => {
      const path = desktopMediaPath(request.url)
      return path === null || request.method !== 'GET' ? new Response('Not found\n', { status: 404 }) : booted.media(path)
    })
    registerContractIpc(ipcMain, booted, isAppUrl, () => BrowserWindow.getAllWindows())
    app.on('before-quit', () => void booted.stop())
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow()
    })
    openMainWindow()
  }).catch((error: Error) => {
    dialog.showErrorBox('Parley could not start', error.message)
    app.quit()
  })

  // On macOS an app stays active without windows until the person quits it.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
