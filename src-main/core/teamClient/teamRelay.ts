// The desktop app signed in to a Parley server (team mode): its main process relays the window's
// contract to the server, and keeps doing here only what needs the desktop — Facebook's login
// window (the token goes straight to the server), the open dialog (the file is uploaded), the
// protected story viewer (fed by the server, nothing kept), notifications, and media for the
// window. It holds the session token (in the keychain), never a Meta token.
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import type { Logger } from '../app/logger.ts'
import type { LoginPresenter } from '../auth/loginPresenter.ts'
import type { EventMessage } from '../contract/events.ts'
import type { Reply } from '../contract/errors.ts'
import type { Problem } from '../contract/integrations.ts'
import type { NotificationRequest, PickedAttachment, StagedAttachmentView } from '../contract/inbox.ts'
import type { Language } from '../contract/schemas.ts'
import type { NotificationPresenter } from '../inbox/notificationPresenter.ts'
import type { AttachmentChooser } from '../inbox/outbound/attachments/index.ts'
import type { StoryPresenter } from '../inbox/storyPresenter.ts'
import { STORY_PROBLEMS } from '../inbox/storyService.ts'
import { connectServerSocket, type ServerSocket } from './serverSocket.ts'
import { signOutOfServer } from './serverSignIn.ts'

export interface TeamRelayDeps {
  serverUrl: string
  /** The session token from the keychain; null until signed in. */
  token: string | null
  /** The keychain entry holding it: forgotten when the session ends. */
  forgetToken: () => Promise<unknown>
  login: LoginPresenter
  story: StoryPresenter | null
  notifier: NotificationPresenter | null
  chooser: AttachmentChooser | null
  log: Logger
  fetch?: typeof fetch
}

export interface TeamRelay {
  invoke(name: string, input: unknown): Promise<Reply<unknown>>
  events: { subscribe(listener: (event: EventMessage) => void): () => void }
  /** The window's media addresses, fetched from the server as this person. */
  media(path: string): Promise<Response>
  signedIn(): boolean
  /** A fresh session (signed in again): the relay connects with it. */
  useToken(token: string): void
  stop(): void
}

const ok = <T>(value: T): Reply<T> => ({ ok: true, value })
const problemOf = (body: unknown, fallback: Problem): Problem =>
  typeof body === 'object' && body !== null && 'code' in body && 'message' in body ? (body as Problem) : fallback

export function createTeamRelay(deps: TeamRelayDeps): TeamRelay {
  const fetchImpl = deps.fetch ?? fetch
  const listeners = new Set<(event: EventMessage) => void>()
  let token = deps.token
  let socket: ServerSocket | null = null
  let language: Language = 'en'
  const emit = (event: EventMessage) => {
    for (const listener of listeners) listener(event)
  }
  const authorization = () => ({ authorization: `Bearer ${token ?? ''}` })

  function connect(): void {
    socket?.close()
    if (!token) return
    const current = connectServerSocket(deps.serverUrl, token)
    socket = current
    let told = false
    current.onEvent((event) => {
      if (event.name === 'session.ended') told = true
      emit(event)
    })
    current.onState((state) => {
      if (state !== 'signedOut' || socket !== current) return
      token = null
      void deps.forgetToken()
      if (!told) emit({ name: 'session.ended', payload: { reason: 'expired' } })
    })
  }
  connect()

  const forward = (name: string, input: unknown): Promise<Reply<unknown>> =>
    socket ? socket.invoke(name, input) : Promise.resolve({ ok: false, error: { code: 'not_signed_in', message: 'Sign in to the Parley server first.' } })

  /** A4: the system's open dialog here, the file uploaded to the server as this person. */
  async function pickAttachment(conversationId: string): Promise<Reply<PickedAttachment>> {
    if (!deps.chooser) return ok({ attachment: null, problem: null })
    const path = await deps.chooser.choose()
    if (path === null) return ok({ attachment: null, problem: null })
    const handle = await open(path, 'r').catch(() => null)
    const unreadable: Problem = { code: 'attachment_unreadable', message: `Parley could not read “${basename(path)}”.`, remedy: null }
    if (!handle) return ok({ attachment: null, problem: unreadable })
    try {
      const info = await handle.stat()
      if (!info.isFile()) return ok({ attachment: null, problem: unreadable })
      const response = await fetchImpl(`${deps.serverUrl}/attachments?conversationId=${encodeURIComponent(conversationId)}`, {
        method: 'POST',
        headers: { ...authorization(), 'content-length': String(info.size), 'x-parley-file-name': encodeURIComponent(basename(path)) },
        body: Readable.toWeb(handle.createReadStream({ autoClose: false })) as ReadableStream,
        duplex: 'half',
      } as RequestInit)
      const body: unknown = await response.json().catch(() => null)
      if (response.ok) return ok({ attachment: body as StagedAttachmentView, problem: null })
      return ok({ attachment: null, problem: problemOf(body, { code: 'attachment_upload_failed', message: `The server refused the file (HTTP ${response.status}).`, remedy: null }) })
    } finally {
      await handle.close()
    }
  }

  /** A5: the story is fetched from the server (which asks Meta now) into this desktop's protected viewer. */
  async function openStory(mid: string): Promise<Reply<{ opened: boolean; problem: Problem | null }>> {
    if (!deps.story) return ok(STORY_PROBLEMS.viewerUnavailable())
    const address = `${deps.serverUrl}/stories/${encodeURIComponent(mid)}`
    const probe = await fetchImpl(`${address}?probe=1`, { headers: authorization() })
    if (probe.status !== 204 && probe.status !== 410) {
      const body: unknown = await probe.json().catch(() => null)
      return ok({ opened: false, problem: problemOf(body, { code: 'story.unavailable', message: 'The story could not be fetched.', remedy: null }) })
    }
    const kind = probe.headers.get('x-story-kind') === 'reply' ? 'reply' : 'mention'
    if (probe.status === 410) {
      deps.story.present({ kind, language, media: null })
      return ok(STORY_PROBLEMS.expired())
    }
    deps.story.present({ kind, language, media: { open: () => fetchImpl(address, { headers: authorization(), cache: 'no-store' }) } })
    return ok({ opened: true, problem: null })
  }

  return {
    async invoke(name, input) {
      switch (name) {
        case 'login.start': {
          const reply = await forward(name, input)
          if (!reply.ok) return reply
          const { loginId, popupUrl } = reply.value as { loginId: string; popupUrl: string | null }
          // The server's dialog address opens in this desktop's login window; the redirect goes to the server.
          if (popupUrl) deps.login.present({ loginId, url: popupUrl }, (url) => void forward('login.complete', { loginId, url }))
          return ok({ loginId, popupUrl: null })
        }
        case 'login.end': {
          const reply = await forward(name, input)
          await deps.login.endSession()
          return reply
        }
        case 'inbox.pickAttachment':
          return pickAttachment((input as { conversationId: string }).conversationId)
        case 'inbox.openStory':
          return openStory((input as { mid: string }).mid)
        case 'notifications.show': {
          const request = input as NotificationRequest
          if (!deps.notifier) return ok({ shown: false })
          deps.notifier.show(request, () => emit({ name: 'inbox.open', payload: { conversationId: request.conversationId } }))
          return ok({ shown: true })
        }
        case 'session.signOut': {
          const ended = token
          const reply = await forward(name, input)
          token = null
          socket?.close()
          socket = null
          if (ended) await signOutOfServer(deps.serverUrl, ended, fetchImpl)
          await deps.forgetToken()
          emit({ name: 'session.ended', payload: { reason: 'signed_out' } })
          return reply.ok ? reply : ok({ ok: true })
        }
        default: {
          const reply = await forward(name, input)
          // The story viewer speaks the window's language.
          if (reply.ok && (name === 'settings.get' || name === 'settings.set')) language = (reply.value as { language: Language }).language
          return reply
        }
      }
    },
    events: {
      subscribe(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    media: (path) => fetchImpl(`${deps.serverUrl}/media/${path}`, { headers: authorization() }),
    signedIn: () => token !== null && socket?.state() !== 'signedOut',
    useToken(next) {
      token = next
      connect()
    },
    stop() {
      socket?.close()
      socket = null
    },
  }
}
