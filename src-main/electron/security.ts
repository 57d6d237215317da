import { shell, type Session, type WebContents, type WebFrameMain, type WebPreferences } from 'electron'

/** Sites a "learn how" link may open — in the person's own browser, never inside Parley. */
export const EXTERNAL_ORIGINS = [
  'https://www.facebook.com',
  'https://business.facebook.com',
  'https://developers.facebook.com',
  'https://help.instagram.com',
]

export function isExternalAllowed(url: string): boolean {
  try {
    return EXTERNAL_ORIGINS.includes(new URL(url).origin)
  } catch {
    return false
  }
}

/** Every window's baseline: an isolated, sandboxed renderer without Node, insecure content or <webview>. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
} as const satisfies WebPreferences

/**
 * Applied to every web contents the app creates: no navigating away from Parley's own page,
 * no new windows (allowed help links go to the system browser), no <webview>.
 */
export function hardenWebContents(contents: WebContents, mayNavigate: (contents: WebContents, url: string) => boolean): void {
  const blockUnlessAllowed = (event: { preventDefault(): void }, url: string) => {
    if (!mayNavigate(contents, url)) event.preventDefault()
  }
  contents.on('will-navigate', blockUnlessAllowed)
  contents.on('will-redirect', blockUnlessAllowed)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalAllowed(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

/** Camera, microphone, geolocation, notifications asked by a page: all refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Parley's own session: no permissions, and its CSP on every response. */
export function hardenSession(session: Session, contentSecurityPolicy: string): void {
  denyPermissions(session)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } })
  })
}

/** Where the Facebook login window may go: Facebook itself, or the sandbox standing in for it. */
export function createLoginSiteCheck(webBase: () => string): (url: string) => boolean {
  return (url) => {
    try {
      const target = new URL(url)
      if (target.origin === new URL(webBase()).origin) return true
      return target.protocol === 'https:' && (target.hostname === 'facebook.com' || target.hostname.endsWith('.facebook.com'))
    } catch {
      return false
    }
  }
}

/** The renderer's own page, loaded from the app bundle (or the dev server while developing). */
export function createAppUrlCheck(rendererUrl: string): (url: string) => boolean {
  const expected = new URL(rendererUrl)
  return (url) => {
    try {
      const actual = new URL(url)
      return expected.protocol === 'file:' ? actual.protocol === 'file:' && actual.pathname === expected.pathname : actual.origin === expected.origin
    } catch {
      return false
    }
  }
}

/** IPC is answered only for the top frame of a window showing Parley's own page. */
export function isTrustedSender(frame: WebFrameMain | null | undefined, isAppUrl: (url: string) => boolean): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url)
}
