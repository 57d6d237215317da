// Facebook Login dialog: GET /dialog/oauth (also /vNN.0/dialog/oauth) → login page → page selection →
// redirect to redirect_uri with a token (fragment) or a code (query). The login cookie keeps the
// person logged in until it is cleared.
import type { Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Deps } from '../deps.ts'
import type { GraphEnv } from '../graph.ts'
import { errorPage, loginPage, pagesPage } from '../html.ts'
import { SESSION_COOKIE } from '../sessions.ts'
import type { Grant } from '../state.ts'

interface DialogRequest {
  clientId: string
  redirectUri: string
  state: string | undefined
  responseType: string
  scopes: string[]
}

/** Registered redirect URIs: exact ones, and patterns such as "http://127.0.0.1:*" (any port, any path). */
export function isRegisteredRedirect(registered: string[], uri: string): boolean {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return false
  }
  const base = `${url.origin}${url.pathname}`
  return registered.some((entry) => {
    if (!entry.includes('*')) return base === entry || uri === entry
    const escaped = entry.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(':\\*', ':\\d+').replace('*', '.*')
    return new RegExp(`^${escaped}(/.*)?$`).test(base)
  })
}

function parseDialog(deps: Deps, values: Record<string, string | undefined>): DialogRequest | { error: string; title: string } {
  const clientId = values.client_id ?? ''
  if (clientId !== deps.state.app.id) return { title: 'Invalid App ID', error: 'Invalid App ID: The provided app ID does not look like a valid app ID.' }
  const redirectUri = values.redirect_uri ?? ''
  if (!isRegisteredRedirect(deps.state.app.redirectUris, redirectUri)) {
    return {
      title: 'URL blocked',
      error: "URL blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
    }
  }
  const responseType = values.response_type ?? 'code'
  if (!/^(code|token|code token|token code|granted_scopes|code granted_scopes|token granted_scopes)$/.test(responseType.replace(/[+,]/g, ' '))) {
    return { title: 'Error', error: `Invalid response_type: ${responseType}` }
  }
  const scopes = (values.scope ?? '').split(/[,\s]+/).filter((scope) => scope !== '')
  return { clientId, redirectUri, state: values.state, responseType: responseType.replace(/[+,]/g, ' '), scopes }
}

/** Appends parameters to the query (code flow, errors) or the fragment (token flow) of the redirect URI. */
function redirectWith(uri: string, params: Record<string, string | undefined>, inFragment: boolean): string {
  const url = new URL(uri)
  const pairs = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined)
  if (inFragment) {
    url.hash = new URLSearchParams(pairs).toString()
    return url.toString()
  }
  for (const [key, value] of pairs) url.searchParams.append(key, value)
  // Facebook appends "#_=_" to redirects that carry no fragment.
  url.hash = '_=_'
  return url.toString()
}

function dialogFields(values: Record<string, string | undefined>): Record<string, string> {
  const keep = ['client_id', 'redirect_uri', 'state', 'response_type', 'scope', 'auth_type']
  return Object.fromEntries(keep.flatMap((key) => (values[key] === undefined ? [] : [[key, values[key] as string]])))
}

export function registerOauthDialogRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  const sessionOf = (c: Context) => deps.sessions.get(getCookie(c, SESSION_COOKIE))
  const html = (c: Context, body: string, status: 200 | 400 = 200) => {
    c.header('Cache-Control', 'no-store')
    return c.html(body, status)
  }

  // Facebook's logout for manually built flows: ends this browser's web session, then returns to
  // `next` when it is one of the app's registered redirect URIs.
  app.get('/logout.php', (c) => {
    const session = getCookie(c, SESSION_COOKIE)
    if (session) deps.sessions.end(session)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    const next = c.req.query('next')
    if (next && isRegisteredRedirect(deps.state.app.redirectUris, next)) return c.redirect(next, 302)
    return html(c, errorPage('Logged out', 'You are logged out of Facebook.'))
  })

  app.get('/dialog/oauth', (c) => {
    const values = c.req.query()
    const dialog = parseDialog(deps, values)
    if ('error' in dialog) return html(c, errorPage(dialog.title, dialog.error), 400)
    const session = sessionOf(c)
    const user = session ? deps.state.users.get(session.userId) : undefined
    if (!session || !user) return html(c, loginPage(deps.state.app.name, dialogFields(values)))
    const grant = deps.state.grants.get(user.id)
    const granted = new Set(grant?.active ? grant.pageIds : [])
    const pages = [...deps.state.pages.values()]
      .filter((page) => page.roles.has(user.id))
      .map((page) => {
        const account = page.instagramId ? deps.state.igAccounts.get(page.instagramId) : undefined
        const detail = account?.linked ? `Instagram: @${account.username}` : 'No Instagram account linked'
        return { id: page.id, name: page.name, detail, checked: granted.has(page.id) }
      })
    return html(c, pagesPage(deps.state.app.name, user.name, pages, dialog.scopes, { ...dialogFields(values), fb_dtsg: session.formToken }))
  })

  app.post('/dialog/oauth/login', async (c) => {
    const form = await c.req.parseBody()
    const values = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]))
    const dialog = parseDialog(deps, values)
    if ('error' in dialog) return html(c, errorPage(dialog.title, dialog.error), 400)
    const email = (values.email ?? '').trim().toLowerCase()
    const user = [...deps.state.users.values()].find((candidate) => candidate.email.toLowerCase() === email)
    if (!user) return html(c, loginPage(deps.state.app.name, dialogFields(values), "The email address or mobile number you entered isn't connected to an account.", values.email))
    if (user.password !== values.pass) return html(c, loginPage(deps.state.app.name, dialogFields(values), "The password that you've entered is incorrect.", values.email))
    const session = deps.sessions.open(user.id)
    setCookie(c, SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 365 * 86_400 })
    return c.redirect(`/dialog/oauth?${new URLSearchParams(dialogFields(values)).toString()}`, 302)
  })

  app.post('/dialog/oauth/confirm', async (c) => {
    const form = await c.req.parseBody({ all: true })
    const one = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : undefined)
    const values = Object.fromEntries(['client_id', 'redirect_uri', 'state', 'response_type', 'scope'].map((key) => [key, one(key)]))
    const dialog = parseDialog(deps, values)
    if ('error' in dialog) return html(c, errorPage(dialog.title, dialog.error), 400)
    const session = sessionOf(c)
    if (!session || one('fb_dtsg') !== session.formToken) return c.redirect(`/dialog/oauth?${new URLSearchParams(dialogFields(values)).toString()}`, 302)
    const inFragment = dialog.responseType.includes('token')
    if (one('action') !== 'continue') {
      return c.redirect(redirectWith(dialog.redirectUri, {
        error: 'access_denied', error_code: '200', error_description: 'Permissions error', error_reason: 'user_denied', state: dialog.state,
      }, false), 302)
    }
    const checked = [form.page_ids ?? []].flat().filter((value): value is string => typeof value === 'string')
    const userId = session.userId
    const previous = deps.state.grants.get(userId)
    // The selection replaces the previous one: unchecking a page takes the app's access to it away.
    const grant: Grant = {
      userId, version: previous?.version ?? 1, active: true,
      scopes: new Set(['public_profile', ...(previous?.active ? previous.scopes : []), ...dialog.scopes]),
      pageIds: checked.filter((id) => deps.state.pages.get(id)?.roles.has(userId)),
    }
    deps.state.grants.set(userId, grant)
    const now = deps.clock.now()
    const params: Record<string, string | undefined> = {}
    if (dialog.responseType.includes('code')) params.code = deps.sessions.issueCode(userId, dialog.redirectUri, now)
    if (dialog.responseType.includes('token')) {
      const token = deps.tokens.issueUser(userId, false)
      params.access_token = token.value
      params.data_access_expiration_time = String(Math.floor((now + 90 * 86_400_000) / 1000))
      params.expires_in = String(Math.floor((token.expiresAt - now) / 1000))
    }
    if (dialog.responseType.includes('granted_scopes')) params.granted_scopes = [...grant.scopes].join(',')
    params.state = dialog.state
    return c.redirect(redirectWith(dialog.redirectUri, params, inFragment), 302)
  })
}
