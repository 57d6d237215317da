import type { Language } from '../contract/schemas.ts'

/**
 * A5: how a host shows a story in a viewer protected from screen capture. Only the desktop host has
 * one (content protection, or click-to-reveal where the OS has none); the browser host never shows
 * story media. The presenter never sees the story's URL: it gets a way to fetch the bytes through
 * main at the moment the viewer asks for them, and streams them on without keeping them.
 */
export interface StoryPresenter {
  present(story: StoryPresentation): void
}

export interface StoryPresentation {
  kind: 'mention' | 'reply'
  /** The viewer's own words follow the window's language. */
  language: Language
  /** Null when the story is already gone: the viewer says "This story is no longer available". */
  media: StoryMedia | null
}

export interface StoryMedia {
  /**
   * Fetches the media from Meta's CDN now: a Response streaming the bytes (`Cache-Control: no-store`),
   * or 410 once the story has expired. Each call fetches again; nothing is kept in between.
   */
  open(): Promise<Response>
}
