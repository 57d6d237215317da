import { randomBytes } from 'node:crypto'
import { BrowserWindow, session, type Session } from 'electron'
import type { StoryMedia, StoryPresentation, StoryPresenter } from '../core/inbox/storyPresenter.ts'
import { denyPermissions, SECURE_WEB_PREFERENCES } from './security.ts'
import { VIEWER_CSP, VIEWER_SCRIPT, VIEWER_STYLE, viewerHtml, type Protection } from './storyViewerPage.ts'

/** In-memory (no `persist:`): whatever the viewer's page holds is gone with the window. */
export const STORY_PARTITION = 'parley-story-viewer'
/** The viewer's privileged scheme, handled only on the viewer's own session. */
export const STORY_SCHEME = 'parley-story'
const ORIGIN = `${STORY_SCHEME}://viewer`

/** Capture protection exists on macOS and Windows; elsewhere the viewer uses click-to-reveal (A5). */
export function protectionFor(platform: NodeJS.Platform): Protection {
  return platform === 'darwin' || platform === 'win32' ? 'os' : 'reveal'
}

interface OpenViewer {
  win: BrowserWindow
  pageToken: string
  /** Cleared on first use: the media address works once. */
  mediaToken: string | null
  media: StoryMedia | null
  html: string
}

const token = () => randomBytes(18).toString('base64url')
const NO_STORE = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }
const text = (body: string, type: string, extra: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { ...NO_STORE, 'Content-Type': `${type}; charset=utf-8`, ...extra } })
const notFound = () => new Response('Not found\n', { status: 404, headers: { ...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * A5: the desktop's protected story viewer. One window at a time, on its own in-memory session,
 * with content protection set before anything is shown, no devtools, no navigation, no new windows.
 * The page and the media come from main over `parley-story://`; the media address works once, and
 * its bytes are fetched from Meta only when the page asks for them.
 */
export function createDesktopStoryPresenter(options: { parent: () => BrowserWindow | null; platform?: NodeJS.Platform }): StoryPresenter {
  const protection = protectionFor(options.platform ?? process.platform)
  let current: OpenViewer | null = null
  let viewerSession: Session | null = null

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url)
    // Not `url.origin`: for a scheme WHATWG does not know, Node answers "null".
    if (url.protocol !== `${STORY_SCHEME}:` || url.host !== 'viewer' || request.method !== 'GET') return notFound()
    if (url.pathname === '/viewer.js') return text(VIEWER_SCRIPT, 'text/javascript')
    if (url.pathname === '/viewer.css') return text(VIEWER_STYLE, 'text/css')
    const viewer = current
    if (!viewer) return notFound()
    if (url.pathname === `/page/${viewer.pageToken}`) return text(viewer.html, 'text/html', { 'Content-Security-Policy': `${VIEWER_CSP}` })
    if (viewer.mediaToken && viewer.media && url.pathname === `/media/${viewer.mediaToken}`) {
      viewer.mediaToken = null
      return viewer.media.open()
    }
    return notFound()
  }

  function ownSession(): Session {
    if (viewerSession) return viewerSession
    const ses = session.fromPartition(STORY_PARTITION)
    denyPermissions(ses)
    if (!ses.protocol.isProtocolHandled(STORY_SCHEME)) ses.protocol.handle(STORY_SCHEME, answer)
    return (viewerSession = ses)
  }

  return {
    present(story: StoryPresentation) {
      const ses = ownSession()
      current?.win.destroy()
      const pageToken = token()
      const mediaToken = story.media ? token() : null
      const win = new BrowserWindow({
        title: 'Parley',
        width: 480,
        height: 820,
        parent: options.parent() ?? undefined,
        show: false,
        autoHideMenuBar: true,
        backgroundColor: '#111111',
        webPreferences: {
          ...SECURE_WEB_PREFERENCES,
          partition: STORY_PARTITION,
          spellcheck: false,
          devTools: false,
        },
      })
      // Before the page exists: no frame of it is ever capturable where the OS can prevent it.
      win.setContentProtection(true)
      win.setMenu(null)
      const viewer: OpenViewer = {
        win,
        pageToken,
        mediaToken,
        media: story.media,
        html: viewerHtml({
          language: story.language,
          kind: story.kind,
          protection,
          mediaUrl: mediaToken ? `${ORIGIN}/media/${mediaToken}` : null,
          scriptUrl: `${ORIGIN}/viewer.js`,
          styleUrl: `${ORIGIN}/viewer.css`,
        }),
      }
      current = viewer

      const contents = win.webContents
      contents.on('will-navigate', (event) => event.preventDefault())
      contents.on('will-redirect', (event) => event.preventDefault())
      contents.on('will-attach-webview', (event) => event.preventDefault())
      contents.setWindowOpenHandler(() => ({ action: 'deny' }))
      // The page hides itself on blur too; this covers a page that has not run its script yet.
      if (protection === 'reveal') {
        win.on('blur', () => {
          if (!win.isDestroyed()) void contents.executeJavaScript('window.parleyHideStory && window.parleyHideStory()').catch(() => {})
        })
      }
      win.once('ready-to-show', () => win.show())
      win.on('closed', () => {
        if (current === viewer) current = null
        viewer.media = null
        viewer.mediaToken = null
        void ses.clearStorageData().catch(() => {})
        void ses.clearCache().catch(() => {})
      })
      void win.loadURL(`${ORIGIN}/page/${pageToken}`)
    },
  }
}
