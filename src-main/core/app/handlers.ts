import type { LoginService } from '../auth/loginService.ts'
import type { Actor, CallContext } from '../contract/context.ts'
import type { Handlers } from '../contract/dispatcher.ts'
import { ParleyError } from '../contract/errors.ts'
import type { ContentProfileView } from '../contract/integrations.ts'
import type { QueueService } from '../routing/queueService.ts'
import type { RoutingService } from '../routing/routingService.ts'
import { supervisor } from './guards.ts'
import { routingHandlers } from './routingHandlers.ts'
import type { InboxScope, NotificationRequest } from '../contract/inbox.ts'
import type { SessionView } from '../contract/people.ts'
import type { AppInfo } from '../contract/schemas.ts'
import { DEFAULT_PROFILE_ID, type ContentProfile } from '../integrations/contentProfiles.ts'
import type { ContentProfileStore } from '../integrations/contentProfileStore.ts'
import type { InboxService } from '../inbox/inboxService.ts'
import type { ReplySender } from '../inbox/outbound/index.ts'
import type { AttachmentService } from '../inbox/outbound/attachments/index.ts'
import { outboxView } from '../inbox/outboxView.ts'
import type { StoryService } from '../inbox/storyService.ts'
import type { ApiKeyService } from '../api/apiKeyService.ts'
import type { SubscriptionService } from '../api/subscriptionService.ts'
import type { IntegrationService } from '../integrations/integrationService.ts'
import type { ConversationAccess } from '../people/conversationAccess.ts'
import type { PeopleService } from '../people/peopleService.ts'
import { isSupervisor } from '../people/permissions.ts'
import type { SandboxPanelService } from '../sandboxPanel/sandboxPanelService.ts'
import { BundleError } from '../diagnostics/bundle.ts'
import { bundleView, logEntryView, ReplayUnavailable, type DiagnosticsService } from '../diagnostics/service.ts'
import type { MetaAppService } from '../meta/metaAppService.ts'
import type { PreferencesService } from '../settings/preferences.ts'

export interface CoreServices {
  appInfo(): AppInfo
  /** The window's language and theme: the workstation's, or the signed-in person's on the team server. */
  preferences(actor: Actor): PreferencesService
  /** Meta's time (epoch ms), as reply windows are counted. */
  metaNow(): number
  metaApp: MetaAppService
  logins: LoginService
  integrations: IntegrationService
  contentProfiles: ContentProfileStore
  inbox: InboxService
  access: ConversationAccess
  sandboxPanel: SandboxPanelService
  /** T1–T4. */
  diagnostics: DiagnosticsService
  /** T2: Include message text, kept in the settings (off by default). */
  diagnosticsSettings: { get(): { includeMessageText: boolean }; set(on: boolean): Promise<{ includeMessageText: boolean }> }
  sender: ReplySender
  attachments: AttachmentService
  stories: Pick<StoryService, 'open'>
  host(): 'browser' | 'desktop'
  /** Item 10: shows a desktop notification; false where the host has none. */
  notify(request: NotificationRequest): boolean
  /** The team server's people and sessions; null on a single workstation, which has one user. */
  team: {
    people: PeopleService
    signOut(sessionId: string): Promise<void>
    apiKeys: ApiKeyService
    subscriptions: SubscriptionService
  } | null
  /** R1–R6. */
  routing: RoutingService
  queues: QueueService
}

const DESKTOP_ONLY = 'Only the Parley desktop app chooses between this computer and a Parley server.'
const TEAM_ONLY = 'People, assignments, API keys and event subscriptions belong to a Parley server; this computer has one user.'

/** The one place where contract commands meet core services, each run as the person who asks. */
export function buildHandlers(services: CoreServices): Handlers {
  // On a team server the sandbox's clock and customers are everyone's: only supervisors move them.
  const teamSupervisor = <I, O>(handler: (input: I, context: CallContext) => O) => (services.team ? supervisor(handler) : handler)
  const team = () => {
    if (!services.team) throw new ParleyError('team_only', TEAM_ONLY)
    return services.team
  }
  /** P5: agents see their own conversations; supervisors every one, theirs by default. A workstation's one person has the whole inbox. */
  const scope = (actor: Actor, view: InboxScope | undefined): InboxScope => {
    if (!isSupervisor(actor) && view !== undefined && view !== 'mine') throw new ParleyError('forbidden', 'Only supervisors see conversations assigned to others.')
    if (!services.team && view !== 'unassigned') return 'all'
    return view ?? (isSupervisor(actor) ? 'all' : 'mine')
  }
  const { integrations, logins, contentProfiles, access } = services
  const profileView = (profile: ContentProfile): ContentProfileView => ({
    ...profile,
    builtIn: profile.id === DEFAULT_PROFILE_ID,
    usedBy: integrations.list().filter((i) => i.contentProfileId === profile.id).map((i) => i.name),
  })
  const done = { ok: true as const }

  return {
    'app.info': () => services.appInfo(),
    'app.clock': () => ({ now: services.metaNow() }),
    'settings.get': (_input, { actor }) => services.preferences(actor).get(),
    'settings.set': (patch, { actor }) => services.preferences(actor).set(patch),
    'session.get': (_input, { actor }): SessionView => ({
      profile: actor.role,
      permissions: [...actor.permissions],
      person: { id: actor.personId, name: actor.name, username: actor.username },
      team: services.team !== null,
    }),
    'session.signOut': async (_input, { sessionId }) => {
      if (!sessionId) throw new ParleyError('team_only', 'This computer does not sign in: there is nothing to sign out of.')
      await team().signOut(sessionId)
      return done
    },

    'connection.get': () => ({ mode: services.team ? 'team' : 'workstation', serverUrl: null, signedIn: true, canChoose: false }),
    // Only the desktop app's main process chooses where it works; it answers these itself.
    'connection.signIn': () => {
      throw new ParleyError('desktop_only', DESKTOP_ONLY)
    },
    'connection.useThisComputer': () => {
      throw new ParleyError('desktop_only', DESKTOP_ONLY)
    },

    'people.list': supervisor(() => team().people.list()),
    'people.add': supervisor((input) => team().people.add(input)),
    'people.update': supervisor((input) => team().people.update(input)),
    'people.resetPassword': supervisor(async ({ id, password }) => {
      await team().people.resetPassword(id, password)
      return done
    }),
    'people.deactivate': supervisor(({ id }, { actor }) => team().people.deactivate(actor, id)),
    'people.reactivate': supervisor(({ id }) => team().people.reactivate(id)),

    'apiKeys.list': supervisor(() => team().apiKeys.list()),
    'apiKeys.create': supervisor((input, { actor }) => team().apiKeys.create(actor, input)),
    'apiKeys.revoke': supervisor(({ id }) => team().apiKeys.revoke(id)),
    'subscriptions.list': supervisor(() => team().subscriptions.list()),
    'subscriptions.create': supervisor((input, { actor }) => team().subscriptions.create(actor, input)),
    'subscriptions.setEnabled': supervisor(({ id, enabled }) => team().subscriptions.setEnabled(id, enabled)),
    'subscriptions.delete': supervisor(async ({ id }) => {
      await team().subscriptions.delete(id)
      return done
    }),
    'subscriptions.deliveries': supervisor(({ id }) => team().subscriptions.deliveries(id)),

    'metaApp.get': supervisor(() => services.metaApp.get()),
    'metaApp.set': supervisor((input) => services.metaApp.set(input)),
    'metaApp.clear': supervisor(() => services.metaApp.clear()),
    'metaApp.webhook': supervisor(() => services.metaApp.webhook()),
    'metaApp.setWebhook': supervisor((input) => services.metaApp.setWebhook(input)),

    'login.start': supervisor((input, context) => {
      if (input.purpose === 'recreate' && !integrations.list().some((i) => i.id === input.integrationId)) {
        throw new ParleyError('not_found', 'That integration no longer exists.')
      }
      return logins.start(input.purpose, input.integrationId ?? null, context)
    }),
    'login.end': supervisor(async ({ loginId }, context) => {
      await logins.end(loginId, context)
      return done
    }),
    'login.complete': supervisor(async ({ loginId, url }, context) => {
      await logins.complete(loginId, url, context)
      return done
    }),

    'integrations.list': supervisor(() => integrations.list()),
    'integrations.checkHealth': supervisor(() => integrations.checkHealth()),
    'integrations.create': supervisor((input, context) => integrations.create(input, context)),
    'integrations.update': supervisor(({ id, ...changes }) => {
      if (changes.contentProfileId && !contentProfiles.list().some((p) => p.id === changes.contentProfileId)) {
        throw new ParleyError('not_found', 'That content profile no longer exists.')
      }
      return integrations.update(id, changes)
    }),
    'integrations.delete': supervisor(async ({ id }) => {
      await integrations.delete(id)
      return done
    }),
    'integrations.recreate': supervisor((input, context) => integrations.recreate(input, context)),

    'contentProfiles.list': supervisor(() => contentProfiles.list().map(profileView)),
    'contentProfiles.save': supervisor(async (draft) => profileView(await contentProfiles.save(draft))),
    'contentProfiles.delete': supervisor(async ({ id }) => {
      await contentProfiles.delete(id, profileView(contentProfiles.get(id)).usedBy)
      return done
    }),

    'inbox.list': ({ view, ...page }, context) => services.inbox.list(page, scope(context.actor, view), context),
    'inbox.conversations': ({ ids, view }, context) => services.inbox.conversations(ids, scope(context.actor, view), context),
    'inbox.thread': async (input, { actor, client }) => {
      await access.conversation(actor, input.conversationId)
      return services.inbox.thread(input, client)
    },
    'inbox.markRead': async ({ conversationId }, { actor }) => {
      await access.conversation(actor, conversationId)
      await services.inbox.markRead(conversationId)
      return done
    },
    'inbox.send': async ({ attachmentId, text, ...reply }, { actor }) => {
      await access.conversation(actor, reply.conversationId)
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
    'inbox.retry': async ({ id }, { actor }) => {
      await access.reply(actor, id)
      return outboxView(await services.sender.retry(id))
    },
    'inbox.pickAttachment': async ({ conversationId }, { actor }) => {
      await access.conversation(actor, conversationId)
      return services.attachments.pick(conversationId)
    },
    'inbox.discardAttachment': async ({ id }, { actor }) => {
      const conversationId = await services.attachments.conversationOf(id)
      if (conversationId) await access.conversation(actor, conversationId)
      await services.attachments.discard(id)
      return done
    },
    'inbox.discard': async ({ id }, { actor }) => {
      await access.reply(actor, id)
      if (!(await services.sender.discard(id))) throw new ParleyError('not_discardable', 'Only a reply that is waiting or failed can be discarded.')
      return done
    },
    'inbox.openStory': async ({ mid }, { actor, client }) => {
      await access.message(actor, mid)
      return services.stories.open(mid, client === 'desktop' ? services.host() : 'browser')
    },
    'notifications.show': (request) => ({ shown: services.notify(request) }),

    ...routingHandlers({ routing: services.routing, queues: services.queues, inbox: services.inbox, access }),

    'sandbox.state': () => services.sandboxPanel.state(),
    'sandbox.act': teamSupervisor((action) => services.sandboxPanel.act(action)),
    'diagnostics.run': supervisor(() => services.diagnostics.run()),
    'diagnostics.log': supervisor((query) => services.diagnostics.log(query).map(logEntryView)),
    'diagnostics.settings': supervisor(() => services.diagnosticsSettings.get()),
    'diagnostics.setSettings': supervisor(({ includeMessageText }) => services.diagnosticsSettings.set(includeMessageText)),
    'diagnostics.exportBundle': supervisor(async () => ({ path: (await services.diagnostics.exportBundle()).path })),
    'diagnostics.openBundle': supervisor(({ name, text }) => {
      try {
        return bundleView(services.diagnostics.openBundleText(name, text))
      } catch (error) {
        if (error instanceof BundleError) throw new ParleyError(error.code, error.message)
        throw error
      }
    }),
    'diagnostics.replay': supervisor(async ({ logTimes, files }) => {
      try {
        const results = await services.diagnostics.replay({ ...(logTimes ? { logTimes } : {}), ...(files ? { texts: files } : {}) })
        return results.map(({ label, ok, outcome, mapped }) => ({ label, ok, outcome, mapped }))
      } catch (error) {
        if (error instanceof ReplayUnavailable) throw new ParleyError('sandbox_only', error.message)
        throw error
      }
    }),
    'sandbox.clock': teamSupervisor(({ advance }) => services.sandboxPanel.advanceClock(advance)),
  }
}
