import type { LoginService } from '../auth/loginService.ts'
import type { Handlers } from '../contract/dispatcher.ts'
import { ParleyError } from '../contract/errors.ts'
import { INTEGRATION_PERMISSION, type ContentProfileView } from '../contract/integrations.ts'
import type { NotificationRequest } from '../contract/inbox.ts'
import type { AppInfo } from '../contract/schemas.ts'
import { DEFAULT_PROFILE_ID, type ContentProfile } from '../integrations/contentProfiles.ts'
import type { ContentProfileStore } from '../integrations/contentProfileStore.ts'
import type { InboxService } from '../inbox/inboxService.ts'
import type { ReplySender } from '../inbox/outbound/index.ts'
import type { AttachmentService } from '../inbox/outbound/attachments/index.ts'
import { outboxView } from '../inbox/outboxView.ts'
import type { StoryService } from '../inbox/storyService.ts'
import type { IntegrationService } from '../integrations/integrationService.ts'
import type { SandboxPanelService } from '../sandboxPanel/sandboxPanelService.ts'
import type { MetaAppService } from '../meta/metaAppService.ts'
import type { PreferencesService } from '../settings/preferences.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { readSession, requirePermission } from './session.ts'

export interface CoreServices {
  appInfo(): AppInfo
  preferences: PreferencesService
  settingsFile: SettingsFile
  metaApp: MetaAppService
  logins: LoginService
  integrations: IntegrationService
  contentProfiles: ContentProfileStore
  inbox: InboxService
  sandboxPanel: SandboxPanelService
  sender: ReplySender
  attachments: AttachmentService
  stories: Pick<StoryService, 'open'>
  host(): 'browser' | 'desktop'
  /** Item 10: shows a desktop notification; false where the host has none. */
  notify(request: NotificationRequest): boolean
}

/** The one place where contract commands meet core services. */
export function buildHandlers(services: CoreServices): Handlers {
  // Admin commands are refused in main too, not only hidden in the window (item 11).
  const supervisor = <I, O>(handler: (input: I) => O) => (input: I): O => {
    requirePermission(services.settingsFile, INTEGRATION_PERMISSION)
    return handler(input)
  }
  const { integrations, logins, contentProfiles } = services
  const profileView = (profile: ContentProfile): ContentProfileView => ({
    ...profile,
    builtIn: profile.id === DEFAULT_PROFILE_ID,
    usedBy: integrations.list().filter((i) => i.contentProfileId === profile.id).map((i) => i.name),
  })

  return {
    'app.info': () => services.appInfo(),
    'settings.get': () => services.preferences.get(),
    'settings.set': (patch) => services.preferences.set(patch),
    'session.get': () => readSession(services.settingsFile),

    'metaApp.get': supervisor(() => services.metaApp.get()),
    'metaApp.set': supervisor((input) => services.metaApp.set(input)),
    'metaApp.clear': supervisor(() => services.metaApp.clear()),
    'metaApp.webhook': supervisor(() => services.metaApp.webhook()),
    'metaApp.setWebhook': supervisor((input) => services.metaApp.setWebhook(input)),

    'login.start': supervisor((input) => {
      if (input.purpose === 'recreate' && !integrations.list().some((i) => i.id === input.integrationId)) {
        throw new ParleyError('not_found', 'That integration no longer exists.')
      }
      return logins.start(input.purpose, input.integrationId ?? null)
    }),
    'login.end': supervisor(async ({ loginId }) => {
      await logins.end(loginId)
      return { ok: true as const }
    }),

    'integrations.list': supervisor(() => integrations.list()),
    'integrations.checkHealth': supervisor(() => integrations.checkHealth()),
    'integrations.create': supervisor((input) => integrations.create(input)),
    'integrations.update': supervisor(({ id, ...changes }) => {
      if (changes.contentProfileId && !contentProfiles.list().some((p) => p.id === changes.contentProfileId)) {
        throw new ParleyError('not_found', 'That content profile no longer exists.')
      }
      return integrations.update(id, changes)
    }),
    'integrations.delete': supervisor(async ({ id }) => {
      await integrations.delete(id)
      return { ok: true as const }
    }),
    'integrations.recreate': supervisor((input) => integrations.recreate(input)),

    'contentProfiles.list': supervisor(() => contentProfiles.list().map(profileView)),
    'contentProfiles.save': supervisor((draft) => profileView(contentProfiles.save(draft))),
    'contentProfiles.delete': supervisor(({ id }) => {
      contentProfiles.delete(id, profileView(contentProfiles.get(id)).usedBy)
      return { ok: true as const }
    }),

    'inbox.list': (input) => services.inbox.list(input),
    'inbox.conversations': ({ ids }) => services.inbox.conversations(ids),
    'inbox.thread': (input) => services.inbox.thread(input),
    'inbox.markRead': async ({ conversationId }) => {
      await services.inbox.markRead(conversationId)
      return { ok: true as const }
    },
    'inbox.send': async ({ attachmentId, text, ...reply }) => {
      // A4: a file is named by its staged id; main's own record of it goes into the reply.
      const request = attachmentId !== undefined ? await services.attachments.replyFor({ ...reply, attachmentId }) : { ...reply, text: text ?? '' }
      const result = await services.sender.send(request)
      if (!result.ok && attachmentId !== undefined) await services.attachments.untie(attachmentId, reply.id)
      // Refused before sending (A3 window, A4 preflight): the reason goes back, the draft stays.
      if (!result.ok) {
        const [first] = result.problems
        throw new ParleyError(first?.code ?? 'refused', result.problems.map((p) => p.message).join(' '))
      }
      return outboxView(result.item)
    },
    'inbox.retry': async ({ id }) => outboxView(await services.sender.retry(id)),
    'inbox.pickAttachment': ({ conversationId }) => services.attachments.pick(conversationId),
    'inbox.discardAttachment': async ({ id }) => {
      await services.attachments.discard(id)
      return { ok: true as const }
    },
    'inbox.discard': async ({ id }) => {
      if (!(await services.sender.discard(id))) throw new ParleyError('not_discardable', 'Only a reply that is waiting or failed can be discarded.')
      return { ok: true as const }
    },
    'inbox.openStory': ({ mid }) => services.stories.open(mid, services.host()),
    'notifications.show': (request) => ({ shown: services.notify(request) }),

    'sandbox.state': () => services.sandboxPanel.state(),
    'sandbox.act': (action) => services.sandboxPanel.act(action),
    'sandbox.clock': ({ advance }) => services.sandboxPanel.advanceClock(advance),
  }
}
