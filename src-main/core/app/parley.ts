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
import type { ParleySecrets } from '../secrets/secretStore.ts'
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
    contentProfiles: createContentProfileStore(deps.settingsFile),
  })
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (command, error) => log.error('command failed', { command, ...describeError(error) }),
  })

  return {
    dispatcher,
    events,
    meta: deps.meta,
    status,
    setLoginPresenter: (next) => void (presenter = next),
    completeLoginRedirect: (url) => logins.completeRedirect(url),
    async stop() {
      if (phase === 'stopping') return
      phase = 'stopping'
      events.emit('app.status', status())
      await deps.meta.close()
    },
  }
}
