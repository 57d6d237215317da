/**
 * How a host shows Facebook's login dialog. The desktop host opens a window on an in-memory
 * session and captures the redirect itself (`response_type=token`, login_success.html); the
 * browser host lets the window open a popup and receives the redirect on a loopback callback
 * (`response_type=code`, so no token ever passes through the browser).
 */
export interface LoginPresenter {
  responseType: 'token' | 'code'
  redirectUri: string
  /**
   * Shows the dialog at `url`. Desktop: opens the window, later calls `onRedirect` with the
   * redirect URL (or null when the person closed the window) and returns null. Browser: returns
   * the URL for the window to open in a popup; the callback arrives through the host.
   */
  present(login: { loginId: string; url: string }, onRedirect: (url: string | null) => void): string | null
  /** S10: ends the login window's Facebook session — its storage cleared. */
  endSession(): Promise<void>
}

/** Facebook's redirect for desktop apps (meta-platform.md §1.1); the sandbox registers it too. */
export const DESKTOP_REDIRECT_URI = 'https://www.facebook.com/connect/login_success.html'
