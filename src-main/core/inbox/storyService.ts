// A5, S9: "View story". The story's media URL is asked of Graph at the moment the agent opens it
// (`GET /{mid}?fields=story`), handed to the host's protected viewer as a way to fetch the bytes,
// and forgotten: it never reaches the store, a log line, the window or an export.
import type { Logger } from '../app/logger.ts'
import { ParleyError } from '../contract/errors.ts'
import type { Problem } from '../contract/integrations.ts'
import type { Language } from '../contract/schemas.ts'
import { isGraphError, type GraphClient } from '../graph/index.ts'
import type { Store } from '../store/index.ts'
import { fetchMedia, MEDIA_MAX_BYTES, probeMedia } from './media/mediaFetch.ts'
import type { HostKind } from './media/mediaPaths.ts'
import type { StoryMedia, StoryPresenter } from './storyPresenter.ts'

export interface StoryOpenResult {
  opened: boolean
  problem: Problem | null
}

export interface StoryServiceDeps {
  store: Pick<Store, 'messages' | 'conversations'>
  /** The integration's S9 switches; null when it no longer exists. */
  integration: (id: string) => { storyMentions: boolean; storyReplies: boolean; deletedAt: string | null } | null
  graph: () => Pick<GraphClient, 'message'> | null
  pageToken: (integrationId: string) => Promise<string | null>
  presenter: () => StoryPresenter | null
  language: () => Language | Promise<Language>
  fetch?: typeof fetch
  log: Logger
}

const problem = (code: string, message: string, remedy: string | null = null): StoryOpenResult => ({ opened: false, problem: { code, message, remedy } })

export const STORY_PROBLEMS = {
  browserHost: () =>
    problem(
      'story.browser_host',
      'Story media is never shown in a browser, which cannot protect it from screen capture. Open the conversation in the Parley desktop app.',
    ),
  viewerUnavailable: () => problem('story.viewer_unavailable', 'The protected story viewer is not available in this version of Parley.'),
  notAStory: () => problem('story.not_a_story', 'This message is not a story mention or a story reply.'),
  expired: () => problem('story.expired', 'This story is no longer available'),
  switchedOff: (kind: 'mention' | 'reply') =>
    problem(
      `story.switched_off_${kind}`,
      kind === 'mention' ? 'Story mentions are switched off for this integration.' : 'Story replies are switched off for this integration.',
      'A supervisor can switch them on in the integration’s settings.',
    ),
  integrationDeleted: () => problem('story.integration_deleted', 'This conversation belongs to a deleted integration, so its stories can no longer be fetched.'),
}

export function createStoryService(deps: StoryServiceDeps) {
  /** The story's CDN URL, straight from Graph; `gone` when Meta no longer has it. */
  async function storyUrl(mid: string, kind: 'mention' | 'reply', integrationId: string): Promise<{ url: string } | { gone: true } | StoryOpenResult> {
    const graph = deps.graph()
    const token = graph ? await deps.pageToken(integrationId) : null
    if (!graph || !token) return problem('story.unavailable', 'Parley has no connection to Instagram for this integration.', 'Check the integration under Admin → Platforms.')
    try {
      const details = await graph.message(mid, token, ['story'])
      const url = kind === 'mention' ? details.storyMention?.link : details.replyTo?.story?.url
      return url ? { url } : { gone: true }
    } catch (error) {
      // Meta answers a story (or message) it no longer has with a client error (#100): gone.
      if (isGraphError(error) && error.kind === 'invalid_parameter') return { gone: true }
      if (isGraphError(error)) return problem(error.reason, error.message, error.remedy ?? null)
      throw error
    }
  }

  /**
   * Where a story can be fetched now: its kind and a way to fetch the bytes, `gone` once Meta no
   * longer has it, or why it cannot be shown. Checks the message, the integration and its S9 switch.
   */
  async function locate(mid: string, beforeFetching: () => StoryOpenResult | null = () => null): Promise<{ kind: 'mention' | 'reply'; media: StoryMedia | null } | StoryOpenResult> {
    const message = await deps.store.messages.get(mid)
    if (!message) throw new ParleyError('not_found', 'That message does not exist.')
    const kind = message.kind === 'story_mention' ? 'mention' : message.kind === 'story_reply' ? 'reply' : null
    if (!kind) return STORY_PROBLEMS.notAStory()
    if (message.withdrawnAt !== null) return STORY_PROBLEMS.expired()
    const conversation = await deps.store.conversations.get(message.conversationId)
    const integration = conversation ? deps.integration(conversation.integrationId) : null
    if (!conversation || !integration || integration.deletedAt !== null) return STORY_PROBLEMS.integrationDeleted()
    if (!(kind === 'mention' ? integration.storyMentions : integration.storyReplies)) return STORY_PROBLEMS.switchedOff(kind)
    const notNow = beforeFetching()
    if (notNow) return notNow

    const found = await storyUrl(mid, kind, conversation.integrationId)
    if ('opened' in found) {
      deps.log.warn('story could not be fetched from Graph', { kind, reason: found.problem?.code ?? 'unknown' })
      return found
    }
    // HEAD only: whether the CDN still has it, without taking a single byte before the viewer asks.
    if ('gone' in found || (await probeMedia(found.url, { fetch: deps.fetch })) === 'gone') return { kind, media: null }
    const { url } = found
    return { kind, media: { open: () => fetchMedia(url, { fetch: deps.fetch, maxBytes: MEDIA_MAX_BYTES }) } }
  }

  return {
    locate,

    async open(mid: string, host: HostKind): Promise<StoryOpenResult> {
      // Checked first: a browser never gets story media, whatever else holds (A5).
      if (host === 'browser') return STORY_PROBLEMS.browserHost()
      const presenter = deps.presenter()
      // Nothing is asked of Meta for a viewer that does not exist.
      const located = await locate(mid, () => (presenter ? null : STORY_PROBLEMS.viewerUnavailable()))
      if ('opened' in located) return located
      presenter!.present({ kind: located.kind, language: await deps.language(), media: located.media })
      if (!located.media) return STORY_PROBLEMS.expired()
      deps.log.info('story shown in the protected viewer', { kind: located.kind })
      return { opened: true, problem: null }
    },
  }
}

export type StoryService = ReturnType<typeof createStoryService>
