// The story viewer's own small page (not the Vue app): served from main on the viewer's scheme, with
// a strict CSP of its own. It fetches the media once, from a one-time address, into memory only.
// Where the OS cannot protect the window from capture, the media stays hidden until a click and is
// hidden again whenever the window loses focus.
import type { Language } from '../core/contract/schemas.ts'
import { de } from '../../src-renderer/src/i18n/de.ts'
import { en } from '../../src-renderer/src/i18n/en.ts'

export type Protection = 'os' | 'reveal'

/** Scripts and styles from the viewer's own origin; the media only as in-memory blobs; nothing else. */
export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src blob:',
  'media-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export interface ViewerPageOptions {
  language: Language
  kind: 'mention' | 'reply'
  protection: Protection
  /** The one-time media address; null when the story is already gone. */
  mediaUrl: string | null
  scriptUrl: string
  styleUrl: string
}

export function viewerHtml(options: ViewerPageOptions): string {
  const words = (options.language === 'de' ? de : en).storyViewer
  const note = options.protection === 'reveal' ? words.revealNote : words.protectedNote
  const data = {
    protection: options.protection,
    state: options.mediaUrl ? 'ready' : 'expired',
    revealed: 'false',
    media: options.mediaUrl ?? '',
    loading: words.loading,
    expired: words.expired,
    failed: words.failed,
    alt: words.alt,
  }
  const attributes = Object.entries(data).map(([key, value]) => `data-${key}="${escape(value)}"`).join(' ')
  return [
    '<!doctype html>',
    `<html lang="${options.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${VIEWER_CSP}">`,
    `<title>${escape(words.title)}</title>`,
    `<link rel="stylesheet" href="${escape(options.styleUrl)}">`,
    `<script src="${escape(options.scriptUrl)}" defer></script>`,
    '</head>',
    `<body ${attributes}>`,
    '<main>',
    `<h1>${escape(options.kind === 'mention' ? words.mention : words.reply)}</h1>`,
    `<p class="note">${escape(note)}</p>`,
    `<button id="reveal" type="button" hidden>${escape(words.reveal)}</button>`,
    '<div id="stage"></div>',
    '<p id="status" role="status" hidden></p>',
    '</main>',
    '</body>',
    '</html>',
  ].join('\n')
}

/** Plain browser JavaScript (the viewer has no preload and no Node). */
export const VIEWER_SCRIPT = `'use strict'
;(() => {
  const body = document.body
  const stage = document.getElementById('stage')
  const status = document.getElementById('status')
  const reveal = document.getElementById('reveal')
  const say = (key) => {
    status.textContent = body.dataset[key] || ''
    status.hidden = false
  }
  let loading = null
  // One request, when the story is to be seen: the address works once, and nothing is cached.
  const load = () => (loading = loading || (async () => {
    say('loading')
    let response = null
    try {
      response = await fetch(body.dataset.media, { cache: 'no-store', credentials: 'omit' })
    } catch {
      response = null
    }
    if (!response || !response.ok) {
      body.dataset.state = response && response.status === 410 ? 'expired' : 'failed'
      say(body.dataset.state)
      return
    }
    const type = response.headers.get('content-type') || ''
    const source = URL.createObjectURL(await response.blob())
    const media = document.createElement(type.startsWith('video/') ? 'video' : 'img')
    media.id = 'media'
    media.draggable = false
    media.src = source
    if (media.tagName === 'VIDEO') {
      media.controls = true
      media.disablePictureInPicture = true
      media.setAttribute('controlslist', 'nodownload noremoteplayback')
    } else {
      media.alt = body.dataset.alt || ''
    }
    stage.replaceChildren(media)
    status.hidden = true
    body.dataset.state = 'shown'
  })())
  const hide = () => {
    body.dataset.revealed = 'false'
    const video = stage.querySelector('video')
    if (video) video.pause()
  }
  window.parleyHideStory = hide
  document.addEventListener('contextmenu', (event) => event.preventDefault())
  document.addEventListener('dragstart', (event) => event.preventDefault())
  if (body.dataset.state === 'expired') {
    say('expired')
    return
  }
  if (body.dataset.protection === 'reveal') {
    reveal.hidden = false
    reveal.addEventListener('click', () => {
      body.dataset.revealed = 'true'
      void load()
    })
    window.addEventListener('blur', hide)
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) hide()
    })
  } else {
    body.dataset.revealed = 'true'
    void load()
  }
})()
`

export const VIEWER_STYLE = `:root { color-scheme: dark; font-family: system-ui, sans-serif; }
body { margin: 0; background: #111; color: #eee; }
main { display: flex; flex-direction: column; align-items: center; gap: 0.75rem; padding: 1rem; min-height: 100vh; box-sizing: border-box; }
h1 { font-size: 1rem; margin: 0; }
.note { font-size: 0.85rem; color: #bbb; max-width: 32rem; text-align: center; margin: 0; }
#reveal { font: inherit; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 1px solid #888; background: #222; color: #fff; cursor: pointer; }
#stage { flex: 1; display: flex; align-items: center; justify-content: center; width: 100%; }
#stage img, #stage video { max-width: 100%; max-height: calc(100vh - 10rem); user-select: none; -webkit-user-drag: none; }
body[data-revealed="false"] #stage { display: none; }
body[data-revealed="true"] #reveal { display: none; }
#status { margin: 0; }
`
