import { BrowserWindow, session, type WebContents } from 'electron'
import { DESKTOP_REDIRECT_URI, type LoginPresenter } from '../core/auth/loginPresenter.ts'
import { isLoginRedirect } from '../core/graph/index.ts'
import { SECURE_WEB_PREFERENCES } from './security.ts'

/** In-memory (no `persist:`): the Facebook session lives only as long as Parley keeps it. */
export const LOGIN_PARTITION = 'parley-facebook-login'

/**
 * S3 and S10: Facebook's dialog in a window of its own, on its own in-memory session. The redirect
 * to login_success.html is caught before it loads — the token never reaches any page — and the
 * window closes. `endSession` clears that session's storage, so the next login asks again.
 */
export function createDesktopLoginPresenter(options: {
  /** Marks the window's contents as the one allowed to browse Facebook (see desktopApp). */
  loginContents: WeakSet<WebContents>
  parent: () => BrowserWindow | null
}): LoginPresenter {
  let current: BrowserWindow | null = null
  return {
    responseType: 'token',
    redirectUri: DESKTOP_REDIRECT_URI,
    present({ url }, onRedirect) {
      current?.destroy()
      const win = new BrowserWindow({
        title: 'Facebook Login',
        width: 620,
        height: 720,
        parent: options.parent() ?? undefined,
        webPreferences: { ...SECURE_WEB_PREFERENCES, partition: LOGIN_PARTITION },
      })
      current = win
      options.loginContents.add(win.webContents)
      let settled = false
      const settle = (redirect: string | null) => {
        if (settled) return
        settled = true
        onRedirect(redirect)
      }
      const catchRedirect = (event: { preventDefault(): void }, target: string) => {
        if (!isLoginRedirect(target, DESKTOP_REDIRECT_URI)) return
        event.preventDefault()
        settle(target)
        win.close()
      }
      win.webContents.on('will-redirect', catchRedirect)
      win.webContents.on('will-navigate', catchRedirect)
      win.on('closed', () => {
        if (current === win) current = null
        // Closed by the person before Facebook answered: the login was cancelled.
        settle(null)
      })
      void win.loadURL(url)
      return null
    },
    async endSession() {
      current?.destroy()
      current = null
      await session.fromPartition(LOGIN_PARTITION).clearStorageData()
    },
  }
}
