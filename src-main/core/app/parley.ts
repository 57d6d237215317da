import type { LoginPresenter } from '../auth/loginPresenter.ts'
import { createLoginService } from '../auth/loginService.ts'
import { createDispatcher, type Dispatcher } from '../contract/dispatcher.ts'
import { createEventHub, type EventHub } from '../contract/eventHub.ts'
import type { LoginFinished } from '../contract/integrations.ts'
import type { AppStatus } from '../contract/schemas.ts'
import { createContentProfileStore } from '../integrations/contentProfileStore.ts'
import { createIntegrationService } from '../integrations/integrationService.ts'
import { createIntegrationStore } from '../integrations/integrationStore.ts'
import { createMetaAppService } from '../meta/metaAppService.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'
import { createInboxService } from '../inbox/inboxService.ts'
import { startReceiving } from '../inbox/receiving.ts'
import { createReplySender, replyWindowState } from '../inbox/outbound/index.ts'
import { outboxView, storyService } from '../inbox/outboxView.ts'
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
  /** Which host serves the window: the browser host can never show story media (A5). */
  setHost(kind: 'browser' | 'desktop'): void
  /** The browser host's login callback: the redirect Facebook sent to it. */
  completeLoginRedirect(url: string): Promise<LoginFinished | null>
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
  const inbox = createInboxService({
    store: deps.store,
    integration: (id) => {
      const integration = store.get(id)
      return {
        name: integration?.name ?? 'Unknown integration',
        deleted: !integration || integration.deletedAt !== null,
        inbound: contentProfiles.get(integration?.contentProfileId ?? 'default').inbound,
      }
    },
    replyWindow: replyWindowState,
    now: () => deps.meta.now(),
  })
  const sender = createReplySender({
    store: deps.store,
    graph: () => deps.meta.graph(),
    pageToken: (id) => deps.secrets.pageToken(id).get(),
    profileFor: (id) => contentProfiles.get(store.get(id)?.contentProfileId ?? 'default'),
    now: () => deps.meta.now(),
    log,
    onChange: (item) => {
      events.emit('outbox.changed', outboxView(item))
      if (item.state === 'sent') events.emit('inbox.changed', { conversationIds: [item.conversationId], newInbound: false })
    },
  })
  const handlers = buildHandlers({
    appInfo: () => ({ name: APP_NAME, version: deps.version, mode: deps.meta.mode(), dataDir: deps.dataDir }),
    preferences: createPreferences(deps.settingsFile),
    settingsFile: deps.settingsFile,
    metaApp: createMetaAppService({
      file: deps.settingsFile,
      secrets: deps.secrets,
      runtime: deps.meta,
      onModeChange: () => events.emit('app.status', status()),
    }),
    logins,
    integrations,
    contentProfiles,
    inbox,
    sandboxPanel: createSandboxPanelService({ meta: deps.meta, recentCustomerMessages: () => inbox.recentCustomerMessages() }),
    sender,
    stories: storyService(),
    host: () => host,
  })
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (command, error) => log.error('command failed', { command, ...describeError(error) }),
  })

  void sender.start().catch((error: unknown) => log.error('the reply sender could not start', describeError(error)))
  const receiving = startReceiving({ meta: deps.meta, store: deps.store, integrations: store, secrets: deps.secrets, events, log }).catch((error: unknown) => {
    log.error('the webhook receiver could not start', describeError(error))
    return null
  })

  return {
    dispatcher,
    events,
    meta: deps.meta,
    status,
    setLoginPresenter: (next) => void (presenter = next),
    setHost: (kind) => void (host = kind),
    completeLoginRedirect: (url) => logins.completeRedirect(url),
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
