import {
  commands,
  createDispatcher,
  createEventHub,
  INTEGRATION_PERMISSION,
  ParleyError,
  type CommandName,
  type CommandInput,
  type ContentProfileView,
  type EventName,
  type EventPayload,
  type Handlers,
  type Integration,
  type LoginFinished,
  type PageChoice,
  type ParleyBridge,
  type PrerequisiteCheck,
} from '../../src-main/core/contract/index.ts'

/** Handlers for the commands a test cares about; each returns what main would. */
export type Script = Partial<Handlers>

export interface ScriptedParley {
  bridge: ParleyBridge
  /** Every command the window sent, in order, with its input as it crossed the bridge. */
  calls: { name: string; input: unknown }[]
  inputsOf<N extends CommandName>(name: N): CommandInput<N>[]
  /** Replaces (or adds) handlers mid-test. */
  script(handlers: Script): void
  /** Sends an event as main would (validated against the contract's schema). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void
}

/**
 * A stand-in for main, built on the contract's own dispatcher so that the window's inputs and the
 * scripted replies are validated exactly as main validates them. Commands not scripted go to
 * `fallback` (Parley's real core) when given, else fail with `unscripted`.
 */
export function createScriptedParley(initial: Script = {}, fallback?: ParleyBridge): ScriptedParley {
  const current: Script = { ...supervisorDefaults(), ...initial }
  const hub = createEventHub()
  const calls: { name: string; input: unknown }[] = []
  const handlers = Object.fromEntries(
    (Object.keys(commands) as CommandName[]).map((name) => [
      name,
      (input: unknown) => {
        const handler = current[name] as ((input: unknown) => unknown) | undefined
        if (!handler) throw new ParleyError('unscripted', `The test did not script "${name}".`)
        return handler(input)
      },
    ]),
  ) as unknown as Handlers
  const dispatcher = createDispatcher(handlers, {
    onInternalError: (name, error) => console.error(`scripted ${name} threw`, error),
    // A workstation's supervisor asks; scripts that care about roles answer for themselves.
    defaultContext: () => ({ actor: { personId: 'local', name: 'Local user', username: null, role: 'supervisor', permissions: [INTEGRATION_PERMISSION] }, client: 'browser' }),
  })
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T

  const bridge: ParleyBridge = {
    async invoke(name, input) {
      calls.push({ name, input: input === undefined ? undefined : copy(input) })
      if (fallback && !(name in current)) return fallback.invoke(name, input)
      return copy(await dispatcher.invoke(name, input === undefined ? undefined : copy(input)))
    },
    on: (listener) => hub.subscribe((event) => listener(copy(event))),
  }

  return {
    bridge,
    calls,
    inputsOf: (name) => calls.filter((call) => call.name === name).map((call) => call.input) as never,
    script: (more) => Object.assign(current, more),
    emit: (name, payload) => hub.emit(name, payload),
  }
}

const DONE = { ok: true as const }

/** A supervisor on the sandbox with no integrations yet. */
export function supervisorDefaults(): Script {
  return {
    'session.get': () => ({ profile: 'supervisor', permissions: [INTEGRATION_PERMISSION], person: { id: 'local', name: 'Local user', username: null }, team: false }),
    'metaApp.get': () => ({ mode: 'sandbox', appId: null, secretStored: false, secretStore: 'keychain' }),
    'integrations.list': () => [],
    'integrations.checkHealth': () => [],
    'contentProfiles.list': () => [defaultProfile()],
    'login.start': () => ({ loginId: 'login-1', popupUrl: null }),
    'login.end': () => DONE,
    // The Inbox is the first page: an empty one unless a test scripts conversations.
    'inbox.list': () => ({ items: [], nextCursor: null, total: 0 }),
    // A workstation's one person: on queue, answering automatically, nothing offered.
    'presence.get': () => ({ personId: 'local', presence: 'on_queue', since: '2026-11-24T08:00:00.000Z', autoAnswer: true }),
    'routing.alerts': () => [],
  }
}

export const agentSession: Script = { 'session.get': () => ({ profile: 'agent', permissions: [], person: { id: 'local', name: 'Local user', username: null }, team: false }) }

export function defaultProfile(overrides: Partial<ContentProfileView> = {}): ContentProfileView {
  return {
    id: 'default',
    name: 'Default',
    inbound: ['*/*'],
    outbound: ['image/jpeg', 'image/png', 'image/gif'],
    maxBytes: 25 * 1024 * 1024,
    builtIn: true,
    usedBy: [],
    ...overrides,
  }
}

export function integration(overrides: Partial<Integration> = {}): Integration {
  return {
    id: 'int-1',
    name: 'Coffee DMs',
    pageId: 'page-1',
    pageName: 'Nordlicht Kaffeerösterei',
    instagram: { id: 'ig-1', username: 'nordlicht.kaffee' },
    status: 'active',
    problem: null,
    contentProfileId: 'default',
    storyMentions: true,
    storyReplies: true,
    createdAt: '2026-11-01T10:00:00.000Z',
    health: {
      tokenValid: true,
      tokenExpiresAt: null,
      tokenNeverExpires: true,
      checkedAt: '2026-11-24T09:00:00.000Z',
      lastEventAt: '2026-11-24T08:30:00.000Z',
      lastSyncAt: '2026-11-24T08:45:00.000Z',
      webhook: 'subscribed',
      rateLimitPercent: 12,
    },
    ...overrides,
  }
}

export function disconnected(overrides: Partial<Integration> = {}): Integration {
  const base = integration({
    id: 'int-2',
    name: 'Hotel DMs',
    pageId: 'page-2',
    pageName: 'Hafenblick Hotel',
    instagram: { id: 'ig-2', username: 'hafenblick' },
    status: 'disconnected',
    problem: {
      code: 'token_invalid.password_changed',
      message: 'The Facebook login of this integration ended because the password was changed or Facebook reset the session.',
      remedy: 'Delete and recreate the integration (Recreate) to log in again.',
    },
  })
  return { ...base, health: { ...base.health, tokenValid: false, tokenNeverExpires: false, webhook: 'unknown', rateLimitPercent: null, lastEventAt: null }, ...overrides }
}

export function page(overrides: Partial<PageChoice> = {}): PageChoice {
  return { id: 'page-1', name: 'Nordlicht Kaffeerösterei', instagram: { id: 'ig-1', username: 'nordlicht.kaffee' }, selectable: true, unavailable: null, integrationName: null, ...overrides }
}

export function loginFinished(overrides: Partial<LoginFinished> = {}): LoginFinished {
  return { loginId: 'login-1', outcome: 'ok', person: 'Mia Berger', pages: [page()], problem: null, ...overrides }
}

export function checks(statuses: Partial<Record<PrerequisiteCheck['id'], Partial<PrerequisiteCheck>>>): PrerequisiteCheck[] {
  // Deliberately out of order: the window must show them in S2's order whatever main sends.
  return (['permissions', 'ig_linked', 'page_published', 'ig_professional'] as const).map((id) => ({ id, status: 'passed', fix: null, missing: [], ...statuses[id] }))
}
