// The addresses the window loads media from. They name what to show (a conversation's customer
// picture, a message's attachment), never where it lives: Meta's CDN URLs stay in main.

/** A customer's profile picture, or attachment `index` of message `mid`. */
export type MediaRef = { kind: 'avatar'; conversationId: string } | { kind: 'attachment'; mid: string; index: number }

export type HostKind = 'browser' | 'desktop'

/** The desktop window's privileged scheme, handled in main for the main window's session only. */
export const MEDIA_SCHEME = 'parley-media'
/** The browser host's route, behind the launch-key cookie. */
export const BROWSER_MEDIA_PREFIX = '/media/'
const DESKTOP_MEDIA_PREFIX = `${MEDIA_SCHEME}://media/`

/** `avatar/{conversationId}` or `attachment/{mid}/{index}`, each id URL-encoded. */
export function mediaPath(ref: MediaRef): string {
  return ref.kind === 'avatar' ? `avatar/${encodeURIComponent(ref.conversationId)}` : `attachment/${encodeURIComponent(ref.mid)}/${ref.index}`
}

/** The address a window of this host loads. */
export function mediaAddress(host: HostKind, ref: MediaRef): string {
  return `${host === 'browser' ? BROWSER_MEDIA_PREFIX : DESKTOP_MEDIA_PREFIX}${mediaPath(ref)}`
}

const MAX_ID = 512

/** The reverse of `mediaPath`; null for anything else (the window asked for something that is not media). */
export function parseMediaPath(path: string): MediaRef | null {
  const parts = path.replace(/^\/+/, '').split('/')
  const decode = (part: string | undefined) => {
    if (!part || part.length > MAX_ID * 3) return null
    try {
      const id = decodeURIComponent(part)
      return id.length > 0 && id.length <= MAX_ID ? id : null
    } catch {
      return null
    }
  }
  if (parts[0] === 'avatar' && parts.length === 2) {
    const conversationId = decode(parts[1])
    return conversationId ? { kind: 'avatar', conversationId } : null
  }
  if (parts[0] === 'attachment' && parts.length === 3 && /^\d{1,2}$/.test(parts[2] ?? '')) {
    const mid = decode(parts[1])
    return mid ? { kind: 'attachment', mid, index: Number(parts[2]) } : null
  }
  return null
}

/** The path part of a desktop address (`parley-media://media/avatar/…` → `avatar/…`), else null. */
export function desktopMediaPath(url: string): string | null {
  return url.startsWith(DESKTOP_MEDIA_PREFIX) ? url.slice(DESKTOP_MEDIA_PREFIX.length).split(/[?#]/)[0]! : null
}
