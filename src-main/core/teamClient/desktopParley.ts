// The desktop app's main process chooses where it works (config.json `connection`): This computer
// only — Parley's own core on this machine — or a Team server, reached through the relay. Either
// way the window sees one contract; the `connection.*` commands are answered here.
import { describeError, type Logger } from '../app/logger.ts'
import type { Parley } from '../app/parley.ts'
import { commands, type CommandName } from '../contract/commands.ts'
import { createDispatcher, type Dispatcher, type Handlers } from '../contract/dispatcher.ts'
import { ParleyError } from '../contract/errors.ts'
import type { EventListener } from '../contract/eventHub.ts'
import type { ConnectionView } from '../contract/people.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { readConnectionChoice, saveConnectionChoice } from './connectionChoice.ts'
import { signInToServer, signOutOfServer } from './serverSignIn.ts'
import { createTeamRelay, type TeamRelayDeps } from './teamRelay.ts'

export interface DesktopParleyDeps {
  settingsFile: SettingsFile
  secrets: ParleySecrets
  /** This computer's own core (workstation mode). */
  bootLocal: () => Promise<Parley>
  /** What the relay shows here: login window, open dialog, story viewer, notifications. */
  presenters: Pick<TeamRelayDeps, 'login' | 'story' | 'notifier' | 'chooser'>
  /** Starts the app again in the other mode (the window reloads with it). */
  relaunch: () => void
  log: Logger
  fetch?: typeof fetch
}

export interface DesktopParley {
  dispatcher: Dispatcher
  events: { subscribe(listener: EventListener): () => void }
  /** The window's media addresses (`parley-media:`): this computer's core, or the server. */
  media(path: string): Promise<Response>
  /** The local core in workstation mode (the host gives it its presenters); null in team mode. */
  local: Parley | null
  stop(): Promise<void>
}

export async function startDesktopParley(deps: DesktopParleyDeps): Promise<DesktopParley> {
  const choice = readConnectionChoice(deps.settingsFile)
  const fetchImpl = deps.fetch ?? fetch
  const session = (serverUrl: string) => deps.secrets.teamSession(serverUrl)

  const local = choice.mode === 'workstation' ? await deps.bootLocal() : null
  const relay =
    choice.mode === 'team' && choice.serverUrl
      ? createTeamRelay({ serverUrl: choice.serverUrl, token: await session(choice.serverUrl).get(), forgetToken: () => session(choice.serverUrl!).delete(), log: deps.log, fetch: fetchImpl, ...deps.presenters })
      : null

  const view = (): ConnectionView => ({ mode: choice.mode, serverUrl: choice.serverUrl, signedIn: relay ? relay.signedIn() : true, canChoose: true })
  /** A change of mode takes a fresh start: the other mode's core or relay is not running. */
  const switchTo = async (next: typeof choice) => {
    await saveConnectionChoice(deps.settingsFile, next)
    setTimeout(deps.relaunch, 100)
  }

  const connection = {
    get: view,
    async signIn(input: { serverUrl: string; username: string; password: string }): Promise<ConnectionView> {
      const { token } = await signInToServer(input.serverUrl, { username: input.username, password: input.password }, fetchImpl)
      await session(input.serverUrl).set(token)
      if (relay && choice.serverUrl === input.serverUrl) {
        relay.useToken(token)
        return view()
      }
      await switchTo({ mode: 'team', serverUrl: input.serverUrl })
      return { mode: 'team', serverUrl: input.serverUrl, signedIn: true, canChoose: true }
    },
    async useThisComputer(): Promise<ConnectionView> {
      if (choice.mode === 'workstation') return view()
      const serverUrl = choice.serverUrl!
      const token = await session(serverUrl).get()
      if (token) await signOutOfServer(serverUrl, token, fetchImpl)
      await session(serverUrl).delete()
      relay?.stop()
      await switchTo({ mode: 'workstation', serverUrl })
      return { mode: 'workstation', serverUrl, signedIn: true, canChoose: true }
    },
  }

  const answeredHere: Partial<Handlers> = {
    'connection.get': () => view(),
    'connection.signIn': (input) => connection.signIn(input),
    'connection.useThisComputer': () => connection.useThisComputer(),
  }
  /** Team mode: the server answers; its error comes back as it was. */
  const viaServer = (name: string) => async (input: unknown) => {
    const reply = await relay!.invoke(name, input)
    if (!reply.ok) throw new ParleyError(reply.error.code, reply.error.message)
    return reply.value
  }
  const unreachable = () => {
    throw new ParleyError('internal', 'This command is answered by the local core.')
  }
  // Checked here against the contract first, and the answer checked again on the way back, exactly
  // as a local command is. Who asks is the server's to say: this context only lets the relay run.
  const own = createDispatcher(
    Object.fromEntries(Object.keys(commands).map((name) => [name, answeredHere[name as CommandName] ?? (relay ? viaServer(name) : unreachable)])) as unknown as Handlers,
    {
      defaultContext: () => ({ actor: { personId: 'desktop', name: '', username: null, role: 'agent', permissions: [] }, client: 'desktop' }),
      onInternalError: (command, error) => deps.log.error('a desktop command failed', { command, ...describeError(error) }),
    },
  )
  const dispatcher: Dispatcher = {
    invoke: (name, input, context) =>
      relay || (typeof name === 'string' && name in answeredHere) ? own.invoke(name, input) : local!.dispatcher.invoke(name, input, context),
  }

  return {
    dispatcher,
    events: relay ? { subscribe: (listener) => relay.events.subscribe((event) => listener(event, undefined)) } : local!.events,
    media: (path) => (relay ? relay.media(path) : local!.media.serve(path)),
    local,
    async stop() {
      relay?.stop()
      await local?.stop()
    },
  }
}
