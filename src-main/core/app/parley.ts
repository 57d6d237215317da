import { join } from 'node:path'
import type { LoginPresenter } from '../auth/loginPresenter.ts'
import type { NotificationPresenter } from '../inbox/notificationPresenter.ts'
import { randomUUID } from 'node:crypto'
import { createApiKeyService, type ApiKeyService } from '../api/apiKeyService.ts'
import { startDeliveryWorker } from '../api/deliveryWorker.ts'
import { openApiDocument } from '../api/openapi.ts'
import { apiRoutes as makeApiRoutes, type ApiRoute } from '../api/routes.ts'
import { createSubscriptionService } from '../api/subscriptionService.ts'
import { createLoginService } from '../auth/loginService.ts'
import { createLocalCluster, type Cluster, type ClusterEventHub } from '../cluster/cluster.ts'
import type { CallContext } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import { createDispatcher, type Dispatcher } from '../contract/dispatcher.ts'
import type { LoginFinished, Problem, SaveResult } from '../contract/integrations.ts'
import type { AppStatus } from '../contract/schemas.ts'
import { DEFAULT_PROFILE_ID } from '../integrations/contentProfiles.ts'
import { createContentProfileStore } from '../integrations/contentProfileStore.ts'
import { createIntegrationService } from '../integrations/integrationService.ts'
import { createIntegrationStore } from '../integrations/integrationStore.ts'
import { createMetaAppService } from '../meta/metaAppService.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import { createInboxService } from '../inbox/inboxService.ts'
import { LOCAL_AGENT } from '../contract/people.ts'
import { startReceiving, type Receiving, type WebhookMount } from '../inbox/receiving.ts'
import { createAttachmentService, type AttachmentChooser, type AttachmentService } from '../inbox/outbound/attachments/index.ts'
import { createReplySender, replyWindowState } from '../inbox/outbound/index.ts'
import { outboxView } from '../inbox/outboxView.ts'
import { createMediaService } from '../inbox/media/mediaService.ts'
import { mediaAddress, parseMediaPath } from '../inbox/media/mediaPaths.ts'
import { mediaRefusal } from '../inbox/media/mediaFetch.ts'
import type { StoryPresenter } from '../inbox/storyPresenter.ts'
import { createStoryService, STORY_PROBLEMS } from '../inbox/storyService.ts'
import { audienceOf, createConversationAccess } from '../people/conversationAccess.ts'
import { createQueueService } from '../routing/queueService.ts'
import { createRoutingService } from '../routing/routingService.ts'
import { createPeopleService } from '../people/peopleService.ts'
import type { SignInService } from '../people/signInService.ts'
import { createSandboxPanelService } from '../sandboxPanel/sandboxPanelService.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { Store } from '../store/index.ts'
import { createPreferences, settingsFileSlot, type PreferencesSlot } from '../settings/preferences.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { APP_NAME } from './dataDir.ts'
import { createDiagnosticsService, INCLUDE_TEXT_SETTING, readSettingsSnapshot, type DiagnosticsService } from '../diagnostics/service.ts'
import { redactingLogger, teeLogger, type EventLog } from '../diagnostics/eventLog.ts'
import { readWebhookSettings } from '../settings/webhookSettings.ts'
import { buildHandlers } from './handlers.ts'
import { createStderrLogger, describeError, type Logger } from './logger.ts'
import { detectMode, liveAppId } from './mode.ts'
import { workstationContext } from './session.ts'

/** I1: a key's requests per minute unless the server says otherwise. */
const API_REQUESTS_PER_MINUTE = 600

export interface ParleyDeps {
  version: string
  dataDir: string
  /** A workstation's config.json, or the team server's shared settings (kept in its database). */
  settingsFile: SettingsFile
  secrets: ParleySecrets
  /** How Parley reaches Meta: the sandbox or graph.facebook.com. */
  meta: MetaRuntime
  /** Conversations, integrations, people…: SQLite on a workstation, PostgreSQL on a team server. */
  store: Store
  log?: Logger
  /** T2: the redacted, rotating event log under the data folder; what `log` writes goes there too. */
  eventLog?: EventLog
  /** The nodes Parley runs on: a workstation alone (the default), or a team server's nodes. */
  cluster?: Cluster
  /**
   * The team server's part: people sign in, and every command runs as them. Absent on a single
   * workstation, whose one user is described by config.json.
   */
  team?: {
    signIn: SignInService
    /** Where Meta delivers webhooks to this server: its routes are mounted on the server's own address. */
    webhooks: WebhookMount
    /** I1: requests per API key and minute (every node counts together). */
    apiRequestsPerMinute?: number
  }
}

/** Parley's core, independent of any host: what a transport needs to serve the contract. */
export interface Parley {
  dispatcher: Dispatcher
  events: ClusterEventHub
  meta: MetaRuntime
  status(): AppStatus
  /** How a kind of window shows Facebook's login dialog; the host's own kind when `client` is left out. */
  setLoginPresenter(presenter: LoginPresenter, client?: CallContext['client']): void
  /** The host's system notifications (desktop); without one, `notifications.show` answers false. */
  setNotificationPresenter(presenter: NotificationPresenter): void
  /** Which host serves the window: the browser host can never show story media (A5). */
  setHost(kind: 'browser' | 'desktop'): void
  /** The host's protected story viewer (A5); only the desktop host has one. */
  setStoryPresenter(presenter: StoryPresenter): void
  /**
   * Avatars and attachments for the window, fetched from Meta in main: the host serves `serve(path)`
   * for its address form. With a context (team server), only what that person may see.
   */
  media: { serve(path: string, context?: CallContext): Promise<Response> }
  /**
   * The login callback (browser host, team server): the redirect Facebook sent. On a team server
   * the node holding the login may be another: the redirect is passed on to every node.
   */
  completeLoginRedirect(url: string): Promise<LoginFinished | null>
  /** The desktop host's open dialog for files to attach (A4); the browser host uploads instead. */
  setAttachmentChooser(chooser: AttachmentChooser): void
  /** A4: files for replies; a host's upload route stages through `upload` (with a context: into that person's conversations only). */
  attachments: { upload(input: Parameters<AttachmentService['upload']>[0], context?: CallContext): ReturnType<AttachmentService['upload']> }
  /**
   * A5 on a team server: a story for the desktop app's own protected viewer, fetched from Meta now
   * and streamed on, never kept. `probe` only says whether it can be shown (204, 410, or a problem).
   * Browsers never get one.
   */
  storyForDesktop(mid: string, context: CallContext, probe: boolean): Promise<Response>
  /** The team server's sign-in, for its HTTP routes and its sockets; null on a workstation. */
  signIn: SignInService | null
  /** I1: the REST API's routes, its OpenAPI document and its keys (team server); null on a workstation. */
  api: { routes: ApiRoute[]; document: object; keys: ApiKeyService } | null
  /** A person's sessions ended (on any node): the host closes their windows. */
  onSessionsEnded(listener: (personId: string, reason: 'deactivated' | 'password_reset') => void): () => void
  /** T1–T4: checks, the event log, bundles, replay. */
  diagnostics: DiagnosticsService
  /** Tells every window that Parley is going away, then stops what core started (the sandbox). */
  stop(): Promise<void>
}

export async function createParley(deps: ParleyDeps): Promise<Parley> {
  // Nothing secret, no URL and no message text reaches a log (T2); the event log keeps payloads for replay.
  const terminal = redactingLogger(deps.log ?? createStderrLogger())
  const log = deps.eventLog ? teeLogger(terminal, deps.eventLog) : terminal
  const cluster = deps.cluster ?? createLocalCluster({ log })
  const { events } = cluster
  const team = deps.team ?? null
  let phase: AppStatus['phase'] = 'ready'
  const status = (): AppStatus => ({ mode: deps.meta.mode(), phase })
  const presenters = new Map<CallContext['client'], LoginPresenter>()
  let host: 'browser' | 'desktop' = 'desktop'
  let notifier: NotificationPresenter | null = null
  let storyPresenter: StoryPresenter | null = null

  const graph = () => deps.meta.graph()
  const [store, contentProfiles] = await Promise.all([createIntegrationStore(deps.store.integrations), createContentProfileStore(deps.store.contentProfiles)])
  // Each integration is polled (live mode without a webhook) by one node at a time.
  const offerPolling = () => cluster.offerToLead(store.list().map((i) => `poll:${i.id}`))
  offerPolling()
  // Integrations and profiles are read from memory: when any node changes them, every node reads them again.
  cluster.onSignal('catalog.changed', () => {
    void Promise.all([store.refresh(), contentProfiles.refresh()])
      .then(() => {
        offerPolling()
        events.emitLocal('integrations.changed', integrations.list(), { supervisors: true })
        return routing.ensureDefaultQueues(store.list())
      })
      .catch((error: unknown) => log.warn('integrations could not be read again', describeError(error)))
  })
  const logins = createLoginService({
    graph,
    secrets: deps.secrets,
    events,
    presenter: (context) => presenters.get(context.client) ?? null,
    integratedPages: () => integrations.integratedPages(),
    log,
  })
  const integrations = createIntegrationService({ graph, store, secrets: deps.secrets, logins, onChange: () => cluster.signal('catalog.changed', {}), log })
  /** S8: the integration's content profile; the default one when it has none or is gone. */
  const profileOf = (integrationId: string) => contentProfiles.get(store.get(integrationId)?.contentProfileId ?? DEFAULT_PROFILE_ID)
  const people = team
    ? createPeopleService({
        store: deps.store,
        now: Date.now,
        onSessionsEnded: (personId, reason) => cluster.signal('sessions.ended', { personId, reason }),
        onChange: () => events.emit('people.changed', {}, { supervisors: true }),
      })
    : null
  // I1–I2 (team server): API keys, event subscriptions and their deliveries, from whichever node is alive.
  const apiKeys = team
    ? createApiKeyService({
        store: deps.store,
        now: Date.now,
        newId: randomUUID,
        perMinute: team.apiRequestsPerMinute ?? API_REQUESTS_PER_MINUTE,
        changed: () => events.emit('apiKeys.changed', {}, { supervisors: true }),
      })
    : null
  const subscriptionsChanged = () => events.emit('subscriptions.changed', {}, { supervisors: true })
  const subscriptions = team ? createSubscriptionService({ store: deps.store, secrets: deps.secrets, now: Date.now, newId: randomUUID, changed: subscriptionsChanged }) : null
  const deliveries = team
    ? startDeliveryWorker({ store: deps.store, secrets: deps.secrets, now: Date.now, log, userAgent: `Parley/${deps.version}`, onDisabled: subscriptionsChanged })
    : null
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
    ...(people ? { personName: (id: string) => people.nameOf(id) } : {}),
    replyWindow: replyWindowState,
    now: () => deps.meta.now(),
    mediaAddress: (client) => (ref) => mediaAddress(team ? client : host, ref),
  })
  const media = createMediaService({
    store: deps.store,
    inbound: (id) => profileOf(id).inbound,
    log,
  })
  const preferencesOf = (slot: PreferencesSlot) => createPreferences(slot)
  const workstationPreferences = preferencesOf(settingsFileSlot(deps.settingsFile))
  const stories = createStoryService({
    store: deps.store,
    integration: (id) => store.get(id),
    graph,
    pageToken: (id) => deps.secrets.pageToken(id).get(),
    presenter: () => storyPresenter,
    language: async () => (await workstationPreferences.get()).language,
    log,
  })
  let attachmentChooser: AttachmentChooser | null = null
  let receivingNow: Receiving | null = null
  const attachments = createAttachmentService({
    dir: join(deps.dataDir, 'outgoing'),
    // A team's nodes share the files in the database: any node takes the upload, sends and serves it.
    inStore: team !== null,
    store: deps.store,
    profileFor: profileOf,
    publicOrigin: () => receivingNow?.publicOrigin() ?? null,
    chooser: () => attachmentChooser,
    now: () => deps.meta.now(),
    log,
  })
  const conversationAudience = async (conversationId: string) => audienceOf(await deps.store.conversations.get(conversationId))
  const sender = createReplySender({
    store: deps.store,
    staged: attachments.forSender,
    graph: () => deps.meta.graph(),
    pageToken: (id) => deps.secrets.pageToken(id).get(),
    profileFor: profileOf,
    now: () => deps.meta.now(),
    log,
    ...(team ? { nodeId: cluster.nodeId, aliveNodes: () => cluster.aliveNodes() } : {}),
    onChange: (item) => {
      void conversationAudience(item.conversationId).then((audience) => {
        events.emit('outbox.changed', outboxView(item), audience)
        if (item.state === 'sent') events.emit('inbox.changed', { conversationIds: [item.conversationId], newInbound: false }, audience)
      })
    },
  })
  const access = createConversationAccess(deps.store, { wholeInbox: !team })
  // R1–R6: a workstation's one person is its one agent; on a team server everyone signed in may be.
  const localAgent = team ? null : { id: LOCAL_AGENT, name: 'Local user' }
  const routing = createRoutingService({ store: deps.store, log, emit: events.emit, localAgent, integrationName: (id) => store.get(id)?.name ?? null })
  const queuesChanged = () => events.emit('queues.changed', {}, { supervisors: true })
  const queues = createQueueService({ store: deps.store, integrationExists: (id) => store.list().some((i) => i.id === id), localAgent, changed: queuesChanged })
  const apiRoutes = makeApiRoutes({ store: deps.store, routing, integrations: () => integrations.list() })
  const withDefaultQueue = <I>(save: (input: I, context: CallContext) => Promise<SaveResult>) => async (input: I, context: CallContext): Promise<SaveResult> => {
    const result = await save(input, context)
    if (result.saved) {
      await routing.ensureDefaultQueues([result.integration])
      // A new integration brings its Default queue.
      queuesChanged()
    }
    return result
  }
  const diagnostics = createDiagnosticsService({
    store: deps.store,
    secrets: deps.secrets,
    meta: deps.meta,
    eventLog: deps.eventLog ?? null,
    integrations: () => store.list(),
    version: deps.version,
    settings: async () => (team ? deps.store.settings.all() : readSettingsSnapshot(join(deps.dataDir, 'config.json'))),
    includeText: () => deps.settingsFile.get(INCLUDE_TEXT_SETTING) === true,
    bundleDir: join(deps.dataDir, 'bundles'),
    polling: () => deps.meta.mode() === 'live' && !team && readWebhookSettings(deps.settingsFile, process.env).publicUrl === null,
    ...(team
      ? { team: { aliveNodes: () => cluster.aliveNodes(), leaderOf: async (id: string) => (cluster.leads(`poll:${id}`) ? cluster.nodeId : null) } }
      : {}),
  })
  const routingReady = routing.start(store.list()).catch((error: unknown) => log.error('routing could not start', describeError(error)))
  const handlers = buildHandlers({
    appInfo: () => ({ name: APP_NAME, version: deps.version, mode: deps.meta.mode(), dataDir: team ? '' : deps.dataDir }),
    metaNow: () => deps.meta.now(),
    preferences: (actor) =>
      team
        ? preferencesOf({
            read: async () => (await deps.store.people.get(actor.personId))?.preferences.window,
            write: (value) => deps.store.people.update(actor.personId, { preferences: { window: value } }),
          })
        : workstationPreferences,
    metaApp: createMetaAppService({
      file: deps.settingsFile,
      secrets: deps.secrets,
      runtime: deps.meta,
      onModeChange: () => {
        events.emit('app.status', status())
        cluster.signal('settings.changed', {})
      },
      receiving: { restart: async () => (await receiving)?.restart(), webhook: async () => (await receiving)?.webhook() ?? null },
    }),
    logins,
    integrations: {
      ...integrations,
      // R1: an integration starts with its Default queue, before its first conversation can arrive.
      create: withDefaultQueue((input, context) => integrations.create(input, context)),
      recreate: withDefaultQueue((input, context) => integrations.recreate(input, context)),
    },
    contentProfiles: {
      ...contentProfiles,
      save: async (draft) => {
        const saved = await contentProfiles.save(draft)
        cluster.signal('catalog.changed', {})
        return saved
      },
      delete: async (id, inUseBy) => {
        await contentProfiles.delete(id, inUseBy)
        cluster.signal('catalog.changed', {})
      },
    },
    inbox,
    access,
    diagnostics,
    diagnosticsSettings: {
      get: () => ({ includeMessageText: deps.settingsFile.get(INCLUDE_TEXT_SETTING) === true }),
      async set(on) {
        await deps.settingsFile.set(INCLUDE_TEXT_SETTING, on)
        return { includeMessageText: on }
      },
    },
    sandboxPanel: createSandboxPanelService({ meta: deps.meta, recentCustomerMessages: () => inbox.recentCustomerMessages() }),
    sender,
    attachments,
    stories,
    host: () => host,
    notify: (request) => {
      if (!notifier) return false
      notifier.show(request, () => events.emitLocal('inbox.open', { conversationId: request.conversationId }))
      return true
    },
    team:
      team && people
        ? {
            people,
            signOut: (sessionId) => team.signIn.signOut(sessionId),
            apiKeys: apiKeys!,
            subscriptions: subscriptions!,
          }
        : null,
    routing,
    queues,
  })
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (command, error) => log.error('command failed', { command, ...describeError(error) }),
    // A workstation's one user asks whenever a transport names nobody; a team server names everyone.
    ...(team ? {} : { defaultContext: () => workstationContext(deps.settingsFile, host) }),
  })

  // A3: every window counts reply windows on Meta's time: tell them at once when it jumps.
  // Each node follows its own Meta clock and tells its own windows (every node sees the same jump).
  const unfollowClock = deps.meta.onClockJump((now) => events.emitLocal('clock.changed', { now }))

  // Staged files no reply needs any more go before anything is sent.
  const attachmentsReady = attachments.start().catch((error: unknown) => log.error('staged attachments could not be checked', describeError(error)))
  void attachmentsReady.then(() => sender.start()).catch((error: unknown) => log.error('the reply sender could not start', describeError(error)))
  const receiving = startReceiving({
    meta: deps.meta,
    store: deps.store,
    integrations: store,
    secrets: deps.secrets,
    events,
    log,
    settingsFile: deps.settingsFile,
    mount: (app) => attachments.mount(app),
    // A new conversation waits to be routed (R1): the routing engine gives it to an agent.
    assignee: null,
    onArrival: () => void routingReady.then(() => routing.arrived()),
    leads: (integrationId) => cluster.leads(`poll:${integrationId}`),
    ...(team ? { attachTo: team.webhooks } : {}),
  }).catch((error: unknown) => {
    log.error('the webhook receiver could not start', describeError(error))
    return null
  })
  void receiving.then((running) => void (receivingNow = running))

  // A login's redirect that reached another node: completed here if the login is this node's.
  cluster.onSignal('login.redirect', ({ url }) => void logins.completeRedirect(url, { quiet: true }))

  // Another node saved or removed the Meta app (team server): this node follows.
  cluster.onSignal('settings.changed', () => {
    void (async () => {
      await deps.settingsFile.refresh?.()
      const mode = detectMode(deps.settingsFile)
      const appId = liveAppId(deps.settingsFile)
      if (mode === deps.meta.mode() && (mode === 'sandbox' || appId === deps.meta.backend().appId)) return
      await deps.meta.switchTo(mode, appId)
      await (await receiving)?.restart()
      events.emitLocal('app.status', status())
    })().catch((error: unknown) => log.error('the shared settings could not be applied on this node', describeError(error)))
  })

  return {
    dispatcher,
    events,
    meta: deps.meta,
    status,
    setLoginPresenter: (presenter, client) => void presenters.set(client ?? host, presenter),
    setNotificationPresenter: (next) => void (notifier = next),
    // Hosts say what they are before they set their presenters.
    setHost: (kind) => void (host = kind),
    setStoryPresenter: (next) => void (storyPresenter = next),
    media: {
      async serve(path, context) {
        const ref = parseMediaPath(path)
        if (context && ref && !(await access.media(context.actor, ref))) return mediaRefusal(403, 'refused')
        return media.serve(path)
      },
    },
    async completeLoginRedirect(url) {
      const finished = await logins.completeRedirect(url)
      if (!finished && team) cluster.signal('login.redirect', { url })
      return finished
    },
    setAttachmentChooser: (next) => void (attachmentChooser = next),
    attachments: {
      async upload(input, context) {
        try {
          if (context) await access.conversation(context.actor, input.conversationId)
        } catch (error) {
          if (!(error instanceof ParleyError)) throw error
          return { ok: false, status: error.code === 'forbidden' ? 403 : 404, problem: { code: error.code, message: error.message, remedy: null } }
        }
        return attachments.upload(input)
      },
    },
    async storyForDesktop(mid, context, probe) {
      const refuse = (status: number, problem: Problem | null) =>
        new Response(JSON.stringify(problem), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })
      if (context.client !== 'desktop') return refuse(403, STORY_PROBLEMS.browserHost().problem)
      try {
        await access.message(context.actor, mid)
      } catch (error) {
        if (error instanceof ParleyError) return refuse(error.code === 'forbidden' ? 403 : 404, { code: error.code, message: error.message, remedy: null })
        throw error
      }
      const located = await stories.locate(mid)
      if ('opened' in located) return refuse(422, located.problem)
      if (!located.media) return refuse(410, STORY_PROBLEMS.expired().problem)
      return probe ? new Response(null, { status: 204, headers: { 'x-story-kind': located.kind } }) : located.media.open()
    },
    signIn: team?.signIn ?? null,
    api: apiKeys ? { routes: apiRoutes, document: openApiDocument(apiRoutes, deps.version), keys: apiKeys } : null,
    diagnostics,
    onSessionsEnded: (listener) => cluster.onSignal('sessions.ended', ({ personId, reason }) => listener(personId, reason)),
    async stop() {
      if (phase === 'stopping') return
      phase = 'stopping'
      events.emitLocal('app.status', status())
      unfollowClock()
      await sender.stop()
      await routing.stop()
      await deliveries?.stop()
      await (await receiving)?.close()
      await deps.meta.close()
      await cluster.close()
      await deps.store.close()
    },
  }
}
