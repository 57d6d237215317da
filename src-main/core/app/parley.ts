import { join } from 'node:path'
import type { LoginPresenter } from '../auth/loginPresenter.ts'
import type { NotificationPresenter } from '../inbox/notificationPresenter.ts'
import { createLoginService } from '../auth/loginService.ts'
import { createDispatcher, type Dispatcher } from '../contract/dispatcher.ts'
import { createEventHub, type EventHub } from '../contract/eventHub.ts'
import type { LoginFinished } from '../contract/integrations.ts'
import type { AppStatus } from '../contract/schemas.ts'
import { DEFAULT_PROFILE_ID } from '../integrations/contentProfiles.ts'
import { createContentProfileStore } from '../integrations/contentProfileStore.ts'
import { createIntegrationService } from '../integrations/integrationService.ts'
import { createIntegrationStore } from '../integrations/integrationStore.ts'
import { createMetaAppService } from '../meta/metaAppService.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import { createInboxService } from '../inbox/inboxService.ts'
import { startReceiving, type Receiving } from '../inbox/receiving.ts'
import { createAttachmentService, type AttachmentChooser, type AttachmentService } from '../inbox/outbound/attachments/index.ts'
import { createReplySender, replyWindowState } from '../inbox/outbound/index.ts'
import { outboxView } from '../inbox/outboxView.ts'
import { createMediaService } from '../inbox/media/mediaService.ts'
import { mediaAddress } from '../inbox/media/mediaPaths.ts'
import type { StoryPresenter } from '../inbox/storyPresenter.ts'
import { createStoryService } from '../inbox/storyService.ts'
import { createSandboxPanelService } from '../sandboxPanel/sandboxPanelService.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { Store } from '../store/index.ts'
import { createPreferences } from '../settings/preferences.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { APP_NAME } from './dataDir.ts'
import { buildHandlers } from './handlers.ts'
import { createStderrLogger, describeError, type Logger } from './logger.ts'

export interface ParleyDeps {
  version: string
  dataDir: string
  settingsFile: SettingsFile
  secrets: ParleySecrets
  /** How Parley reaches Meta: the sandbox or graph.facebook.com. */
  meta: MetaRuntime
  /** The inbox's SQLite store. */
  store: Store
  log?: Logger
}

/** Parley's core, independent of any host: what a transport needs to serve the contract. */
export interface Parley {
  dispatcher: Dispatcher
  events: EventHub
  meta: MetaRuntime
  status(): AppStatus
  /** The host's way of showing Facebook's login dialog; none until the host sets one. */
  setLoginPresenter(presenter: LoginPresenter): void
  /** The host's system notifications (desktop); without one, `notifications.show` answers false. */
  setNotificationPresenter(presenter: NotificationPresenter): void
  /** Which host serves the window: the browser host can never show story media (A5). */
  setHost(kind: 'browser' | 'desktop'): void
  /** The host's protected story viewer (A5); only the desktop host has one. */
  setStoryPresenter(presenter: StoryPresenter): void
  /** Avatars and attachments for the window, fetched from Meta in main: the host serves `serve(path)` for its address form. */
  media: { serve(path: string): Promise<Response> }
  /** The browser host's login callback: the redirect Facebook sent to it. */
  completeLoginRedirect(url: string): Promise<LoginFinished | null>
  /** The desktop host's open dialog for files to attach (A4); the browser host uploads instead. */
  setAttachmentChooser(chooser: AttachmentChooser): void
  /** A4: files for replies; the browser host's upload route stages through `upload`. */
  attachments: Pick<AttachmentService, 'upload'>
  /** Tells every window that Parley is going away, then stops what core started (the sandbox). */
  stop(): Promise<void>
}

export function createParley(deps: ParleyDeps): Parley {
  const log = deps.log ?? createStderrLogger()
  const events = createEventHub()
  let phase: AppStatus['phase'] = 'ready'
  const status = (): AppStatus => ({ mode: deps.meta.mode(), phase })
  let presenter: LoginPresenter | null = null
  let host: 'browser' | 'desktop' = 'desktop'
  let notifier: NotificationPresenter | null = null
  let storyPresenter: StoryPresenter | null = null

  const graph = () => deps.meta.graph()
  const store = createIntegrationStore(deps.settingsFile)
  const logins = createLoginService({
    graph,
    secrets: deps.secrets,
    events,
    presenter: () => presenter,
    integratedPages: () => integrations.integratedPages(),
    log,
  })
  const integrations = createIntegrationService({ graph, store, secrets: deps.secrets, logins, events, log })
  const contentProfiles = createContentProfileStore(deps.settingsFile)
  /** S8: the integration's content profile; the default one when it has none or is gone. */
  const profileOf = (integrationId: string) => contentProfiles.get(store.get(integrationId)?.contentProfileId ?? DEFAULT_PROFILE_ID)
  const inbox = createInboxService({
    store: deps.store,
    integration: (id) => {
      const integration = store.get(id)
      return {
        name: integration?.name ?? 'Unknown integration',
        deleted: !integration || integration.deletedAt !== null,
        inbound: profileOf(id).inbound,
      }
    },
    replyWindow: replyWindowState,
    now: () => deps.meta.now(),
    mediaAddress: (ref) => mediaAddress(host, ref),
  })
  const media = createMediaService({
    store: deps.store,
    inbound: (id) => profileOf(id).inbound,
    log,
  })
  const preferences = createPreferences(deps.settingsFile)
  const stories = createStoryService({
    store: deps.store,
    integration: (id) => store.get(id),
    graph,
    pageToken: (id) => deps.secrets.pageToken(id).get(),
    presenter: () => storyPresenter,
    language: () => preferences.get().language,
    log,
  })
  let attachmentChooser: AttachmentChooser | null = null
  let receivingNow: Receiving | null = null
  const attachments = createAttachmentService({
    dir: join(deps.dataDir, 'outgoing'),
    store: deps.store,
    profileFor: profileOf,
    publicOrigin: () => receivingNow?.publicOrigin() ?? null,
    chooser: () => attachmentChooser,
    now: () => deps.meta.now(),
    log,
  })
  const sender = createReplySender({
    store: deps.store,
    staged: attachments.forSender,
    graph: () => deps.meta.graph(),
    pageToken: (id) => deps.secrets.pageToken(id).get(),
    profileFor: profileOf,
    now: () => deps.meta.now(),
    log,
    onChange: (item) => {
      events.emit('outbox.changed', outboxView(item))
      if (item.state === 'sent') events.emit('inbox.changed', { conversationIds: [item.conversationId], newInbound: false })
    },
  })
  const handlers = buildHandlers({
    appInfo: () => ({ name: APP_NAME, version: deps.version, mode: deps.meta.mode(), dataDir: deps.dataDir }),
    preferences,
    settingsFile: deps.settingsFile,
    metaApp: createMetaAppService({
      file: deps.settingsFile,
      secrets: deps.secrets,
      runtime: deps.meta,
      onModeChange: () => events.emit('app.status', status()),
      receiving: { restart: async () => (await receiving)?.restart(), webhook: async () => (await receiving)?.webhook() ?? null },
    }),
    logins,
    integrations,
    contentProfiles,
    inbox,
    sandboxPanel: createSandboxPanelService({ meta: deps.meta, recentCustomerMessages: () => inbox.recentCustomerMessages() }),
    sender,
    attachments,
    stories,
    host: () => host,
    notify: (request) => {
      if (!notifier) return false
      notifier.show(request, () => events.emit('inbox.open', { conversationId: request.conversationId }))
      return true
    },
  })
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (command, error) => log.error('command failed', { command, ...describeError(error) }),
  })

  // Staged files no reply needs any more go before anything is sent.
  const attachmentsReady = attachments.start().catch((error: unknown) => log.error('staged attachments could not be checked', describeError(error)))
  void attachmentsReady.then(() => sender.start()).catch((error: unknown) => log.error('the reply sender could not start', describeError(error)))
  const receiving = startReceiving({ meta: deps.meta, store: deps.store, integrations: store, secrets: deps.secrets, events, log, settingsFile: deps.settingsFile, mount: (app) => attachments.mount(app) }).catch((error: unknown) => {
    log.error('the webhook receiver could not start', describeError(error))
    return null
  })
  void receiving.then((running) => void (receivingNow = running))

  return {
    dispatcher,
    events,
    meta: deps.meta,
    status,
    setLoginPresenter: (next) => void (presenter = next),
    setNotificationPresenter: (next) => void (notifier = next),
    setHost: (kind) => void (host = kind),
    setStoryPresenter: (next) => void (storyPresenter = next),
    media,
    completeLoginRedirect: (url) => logins.completeRedirect(url),
    setAttachmentChooser: (next) => void (attachmentChooser = next),
    attachments: { upload: (input) => attachments.upload(input) },
    async stop() {
      if (phase === 'stopping') return
      phase = 'stopping'
      events.emit('app.status', status())
      await sender.stop()
      await (await receiving)?.close()
      await deps.meta.close()
      deps.store.close()
    },
  }
}
