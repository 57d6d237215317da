import { randomUUID } from 'node:crypto'
import type { Logger } from '../app/logger.ts'
import type { CallContext } from '../contract/context.ts'
import type { LoginFinished, Problem } from '../contract/integrations.ts'
import { ParleyError } from '../contract/errors.ts'
import type { EventHub } from '../contract/eventHub.ts'
import { createLoginState, isGraphError, LoginRedirectError, parseLoginRedirect, type GraphClient } from '../graph/index.ts'
import { droppedPages, pageChoices, type IntegratedPage, type PageFacts } from '../integrations/pageChoices.ts'
import { REQUIRED_SCOPES } from '../integrations/requirements.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { LoginPresenter } from './loginPresenter.ts'

/** A login Parley started and has not ended yet. Tokens are in the keychain, never here. */
export interface PendingLogin {
  id: string
  state: string
  purpose: 'create' | 'recreate'
  integrationId: string | null
  /** The person who started it: only they may complete, use or end it. */
  personId: string
  redirectUri: string
  startedAt: number
  finished: LoginFinished | null
  /** Facts of every page the person granted, for Save to choose from. */
  pages: PageFacts[]
  grantedScopes: Set<string>
}

export interface LoginServiceDeps {
  graph: () => GraphClient
  secrets: ParleySecrets
  events: EventHub
  /** How this caller's window shows Facebook's dialog (a desktop's login window or a browser popup). */
  presenter: (context: CallContext) => LoginPresenter | null
  /** Pages of the integrations in use, with their names (S5, S6). */
  integratedPages: () => IntegratedPage[]
  log: Logger
  now?: () => number
}

/** A login not finished within this time is dropped: the person walked away from it. */
const LOGIN_LIFETIME_MS = 60 * 60 * 1000

export function createLoginService(deps: LoginServiceDeps) {
  const now = deps.now ?? Date.now
  const logins = new Map<string, PendingLogin>()

  const finish = (login: PendingLogin, result: Omit<LoginFinished, 'loginId'>) => {
    login.finished = { loginId: login.id, ...result }
    // The pages a login offers are the business of the person who logged in.
    deps.events.emit('login.finished', login.finished, { people: [login.personId] })
    return login.finished
  }
  const presenters = new Map<string, LoginPresenter>()
  /** A login of this person's; another person's is as good as absent. */
  const own = (loginId: string, context: CallContext) => {
    const login = logins.get(loginId)
    return login && login.personId === context.actor.personId ? login : undefined
  }
  const failWith = (login: PendingLogin, outcome: 'failed' | 'refused', problem: Problem) =>
    finish(login, { outcome, person: null, pages: [], problem })

  async function complete(login: PendingLogin, redirectUrl: string): Promise<LoginFinished> {
    const graph = deps.graph()
    const redirect = parseLoginRedirect(redirectUrl, { expectedState: login.state, redirectUri: login.redirectUri })
    if (redirect.type === 'cancelled') return finish(login, { outcome: 'cancelled', person: null, pages: [], problem: null })
    const short = redirect.type === 'token' ? redirect.accessToken : (await graph.exchangeCode(redirect.code, login.redirectUri)).accessToken
    // S3: the long-lived token is made in main with the app secret and goes straight to the keychain.
    const userToken = (await graph.exchangeForLongLived(short)).accessToken
    await deps.secrets.loginUserToken(login.id).set(userToken)

    const [person, info, pages] = await Promise.all([graph.me(userToken), graph.debugToken(userToken), graph.listPages(userToken)])
    login.grantedScopes = new Set(info.scopes)
    login.pages = await Promise.all(pages.map((page) => pageFacts(graph, page, userToken)))

    const granted = grantedPageIds(pages, info.granularScopes)
    const integrated = deps.integratedPages()
    // Recreating an integration re-grants its own page; every other integrated page must stay (S5).
    const others = integrated.filter((i) => i.integrationId !== login.integrationId)
    const dropped = droppedPages(granted, others)
    if (dropped.length) {
      await deps.secrets.loginUserToken(login.id).delete()
      const names = dropped.map((d) => d.integrationName).join(', ')
      return failWith(login, 'refused', {
        code: 'login.pages_dropped',
        message: `This login would remove Parley's access to pages other integrations use (${names}).`,
        remedy: 'Log in again and keep every page that is already integrated selected, as well as the new one.',
        params: { names },
      })
    }
    if (login.purpose === 'recreate') {
      const target = integrated.find((i) => i.integrationId === login.integrationId)
      if (target && !granted.has(target.pageId)) {
        await deps.secrets.loginUserToken(login.id).delete()
        return failWith(login, 'refused', {
          code: 'login.page_not_granted',
          message: `The login did not grant access to the page of ${target.integrationName}.`,
          remedy: 'Log in again and select that page.',
          params: { names: target.integrationName },
        })
      }
    }
    return finish(login, { outcome: 'ok', person: person.name, pages: pageChoices(login.pages, others), problem: null })
  }

  async function settle(login: PendingLogin, redirectUrl: string): Promise<LoginFinished> {
    try {
      return await complete(login, redirectUrl)
    } catch (error) {
      deps.log.warn('login failed', { reason: problemOf(error).code })
      await deps.secrets.loginUserToken(login.id).delete()
      return failWith(login, 'failed', problemOf(error))
    }
  }

  function problemOf(error: unknown): Problem {
    if (error instanceof LoginRedirectError || isGraphError(error)) {
      return { code: error.reason, message: error.message, remedy: error.remedy ?? null }
    }
    return { code: 'login.failed', message: 'The Facebook login could not be completed.', remedy: 'Try again.' }
  }

  const service = {
    start(purpose: 'create' | 'recreate', integrationId: string | null, context: CallContext): { loginId: string; popupUrl: string | null } {
      const presenter = deps.presenter(context)
      if (!presenter) throw new ParleyError('login_unavailable', 'This window cannot show the Facebook login.')
      const login: PendingLogin = {
        id: randomUUID(),
        state: createLoginState(),
        purpose,
        integrationId,
        personId: context.actor.personId,
        redirectUri: presenter.redirectUri,
        startedAt: now(),
        finished: null,
        pages: [],
        grantedScopes: new Set(),
      }
      logins.set(login.id, login)
      presenters.set(login.id, presenter)
      const url = deps.graph().loginDialogUrl({
        state: login.state,
        scopes: REQUIRED_SCOPES,
        responseType: presenter.responseType,
        redirectUri: presenter.redirectUri,
        // Ask again for anything declined before: messaging needs all of it.
        rerequest: true,
      })
      const popupUrl = presenter.present({ loginId: login.id, url }, (redirectUrl) => {
        if (redirectUrl === null) finish(login, { outcome: 'cancelled', person: null, pages: [], problem: null })
        else void settle(login, redirectUrl)
      })
      return { loginId: login.id, popupUrl }
    },

    /** The browser host's callback: the state in the redirect names the login it ends. */
    async completeRedirect(redirectUrl: string, options: { quiet?: boolean } = {}): Promise<LoginFinished | null> {
      const state = stateOf(redirectUrl)
      const login = [...logins.values()].find((l) => l.state === state && !l.finished)
      if (!login) {
        // Quiet when every node of a team is asked and only one holds the login.
        if (!options.quiet) deps.log.warn('a login redirect arrived that Parley did not start, or for a login already finished')
        return null
      }
      return settle(login, redirectUrl)
    },

    /**
     * P4: a desktop app signed in to a team server shows the dialog in its own login window and
     * hands the redirect here (`login.complete`); null when the person closed the window.
     */
    async complete(loginId: string, redirectUrl: string | null, context: CallContext): Promise<LoginFinished> {
      const login = own(loginId, context)
      if (!login || login.finished) throw new ParleyError('login_expired', 'The Facebook login has ended. Click "Instagram Login" to log in again.')
      if (redirectUrl === null) return finish(login, { outcome: 'cancelled', person: null, pages: [], problem: null })
      return settle(login, redirectUrl)
    },

    /** A finished, successful login of this person's that is still fresh; otherwise a clear error. */
    usable(loginId: string, purpose: 'create' | 'recreate', context: CallContext): PendingLogin {
      const login = own(loginId, context)
      if (!login || now() - login.startedAt > LOGIN_LIFETIME_MS) {
        throw new ParleyError('login_expired', 'The Facebook login has ended. Click "Instagram Login" to log in again.')
      }
      if (login.finished?.outcome !== 'ok' || login.purpose !== purpose) {
        throw new ParleyError('login_incomplete', 'Log in with Facebook first.')
      }
      return login
    },

    userToken: async (loginId: string): Promise<string> => {
      const token = await deps.secrets.loginUserToken(loginId).get()
      if (!token) throw new ParleyError('login_expired', 'The Facebook login has ended. Click "Instagram Login" to log in again.')
      return token
    },

    /** S10: forget the login, its token, and the login window's Facebook session. */
    async end(loginId: string, context: CallContext): Promise<void> {
      if (!own(loginId, context) && logins.has(loginId)) return
      const presenter = presenters.get(loginId) ?? deps.presenter(context)
      logins.delete(loginId)
      presenters.delete(loginId)
      await deps.secrets.loginUserToken(loginId).delete()
      await presenter?.endSession()
    },
  }
  return service
}

export type LoginService = ReturnType<typeof createLoginService>

/**
 * The pages this login lets Parley manage: listed by /me/accounts and — where debug_token names
 * targets for `pages_manage_metadata` — among them (without it, webhooks cannot be subscribed).
 */
export function grantedPageIds(pages: readonly { id: string }[], granularScopes: readonly { scope: string; targetIds: string[] }[]): Set<string> {
  const metadata = granularScopes.find((g) => g.scope === 'pages_manage_metadata')
  const ids = pages.map((page) => page.id)
  return new Set(metadata && metadata.targetIds.length ? ids.filter((id) => metadata.targetIds.includes(id)) : ids)
}

function stateOf(redirectUrl: string): string | null {
  try {
    const url = new URL(redirectUrl)
    return url.searchParams.get('state') ?? new URLSearchParams(url.hash.slice(1)).get('state')
  } catch {
    return null
  }
}

/** The prerequisites Meta reveals about a page (fact sheet §3; the sandbox documents the signals). */
async function pageFacts(
  graph: GraphClient,
  page: { id: string; name: string; isPublished: boolean | null; instagram: { id: string; username: string | null } | null },
  userToken: string,
): Promise<PageFacts> {
  let switchNotConfirmed = false
  if (!page.instagram) {
    // Linked while personal, switched, not confirmed: Meta shows only connected_instagram_account.
    const extra = await graph.page(page.id, userToken, ['connected_instagram_account']).catch(() => ({}) as Record<string, unknown>)
    switchNotConfirmed = Boolean(extra.connected_instagram_account)
  }
  return {
    id: page.id,
    name: page.name,
    published: page.isPublished,
    instagram: page.instagram ? { id: page.instagram.id, username: page.instagram.username ?? page.instagram.id } : null,
    switchNotConfirmed,
  }
}
