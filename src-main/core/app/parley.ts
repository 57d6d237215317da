import { createDispatcher, type Dispatcher } from '../contract/dispatcher.ts'
import { createEventHub, type EventHub } from '../contract/eventHub.ts'
import type { AppStatus, Mode } from '../contract/schemas.ts'
import { createPreferences } from '../settings/preferences.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { buildHandlers } from './handlers.ts'
import { APP_NAME } from './dataDir.ts'
import { createStderrLogger, describeError, type Logger } from './logger.ts'
import type { MetaBackend } from './metaBackend.ts'

export interface ParleyDeps {
  version: string
  dataDir: string
  mode: Mode
  settingsFile: SettingsFile
  /** Absent in tests that need no Meta at all. */
  meta?: MetaBackend
  log?: Logger
}

/** Parley's core, independent of any host: what a transport needs to serve the contract. */
export interface Parley {
  dispatcher: Dispatcher
  events: EventHub
  meta: MetaBackend | null
  status(): AppStatus
  /** Tells every window that Parley is going away, then stops what core started (the sandbox). */
  stop(): Promise<void>
}

export function createParley(deps: ParleyDeps): Parley {
  const log = deps.log ?? createStderrLogger()
  const events = createEventHub()
  const preferences = createPreferences(deps.settingsFile)
  const handlers = buildHandlers({
    appInfo: () => ({ name: APP_NAME, version: deps.version, mode: deps.mode, dataDir: deps.dataDir }),
    preferences,
  })
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (command, error) => log.error('command failed', { command, ...describeError(error) }),
  })
  let phase: AppStatus['phase'] = 'ready'
  return {
    dispatcher,
    events,
    meta: deps.meta ?? null,
    status: () => ({ mode: deps.mode, phase }),
    async stop() {
      if (phase === 'stopping') return
      phase = 'stopping'
      events.emit('app.status', { mode: deps.mode, phase })
      await deps.meta?.close()
    },
  }
}
