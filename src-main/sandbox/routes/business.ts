// Business objects: the person (/me), their pages (/me/accounts), pages and their Instagram accounts,
// permissions, the page's subscribed_apps and the app's webhook subscription (/{app-id}/subscriptions).
import type { Context, Hono } from 'hono'
import type { Deps } from '../deps.ts'
import { GraphError, graphErrors } from '../errors.ts'
import { render, type FieldNode, type NodeType } from '../fields.ts'
import { graphRequest, hasScope, pageFor, userSeesPage, type GraphEnv, type GraphRequest } from '../graph.ts'
import { paginate } from '../paging.ts'
import type { IgAccount, Page, User } from '../state.ts'
import type { Token } from '../tokens.ts'

export const INSTAGRAM_WEBHOOK_FIELDS = [
  'messages', 'message_reactions', 'messaging_postbacks', 'messaging_seen', 'messaging_referral', 'messaging_optins',
  'messaging_handover', 'standby', 'comments', 'live_comments', 'mentions', 'story_insights',
]

export const PAGE_WEBHOOK_FIELDS = [
  'feed', 'mention', 'name', 'picture', 'category', 'description', 'conversations', 'messages', 'messaging_postbacks',
  'messaging_optins', 'message_deliveries', 'message_reads', 'message_echoes', 'messaging_referrals', 'messaging_handovers',
  'messaging_policy_enforcement', 'message_reactions', 'standby', 'messaging_seen', 'inbox_labels',
]

export function igAccountType(deps: Deps): NodeType<IgAccount> {
  return {
    name: 'IGUser',
    defaults: ['id'],
    fields: {
      id: (account) => account.id,
      ig_id: (account) => Number(account.igId),
      username: (account) => account.username,
      name: (account) => account.name,
      profile_picture_url: (account) => deps.media.profilePicture(account.id, account.color),
      biography: (account) => account.biography,
      website: (account) => account.website,
      followers_count: (account) => account.followersCount,
      follows_count: (account) => account.followsCount,
      media_count: (account) => account.mediaCount,
    },
  }
}

export function pageType(deps: Deps, token: Token): NodeType<Page> {
  const instagram = (account: IgAccount | undefined, node: FieldNode) => {
    // Without instagram_basic Meta leaves Instagram data out of the page.
    if (!account || (token.type === 'USER' && !hasScope(deps, token, 'instagram_basic'))) return undefined
    return render(igAccountType(deps), account, node.children)
  }
  return {
    name: 'Page',
    defaults: ['name', 'id'],
    fields: {
      id: (page) => page.id,
      name: (page) => page.name,
      category: (page) => page.category,
      category_list: (page) => [{ id: String(2_000 + page.category.length), name: page.category }],
      link: (page) => `https://www.facebook.com/${page.id}`,
      is_published: (page) => page.published,
      tasks: (page) => (token.userId ? page.roles.get(token.userId) : undefined),
      access_token: (page) => (token.type === 'USER' ? deps.tokens.pageTokenFor(token, page.id).value : token.type === 'PAGE' ? token.value : undefined),
      instagram_business_account: (page, node) => instagram(deps.state.businessAccountOf(page), node),
      // Present as soon as a professional account is linked; instagram_business_account additionally
      // needs a personal→professional switch to be confirmed in the Page settings.
      connected_instagram_account: (page, node) => {
        const account = page.instagramId ? deps.state.igAccounts.get(page.instagramId) : undefined
        return instagram(account?.linked && account.professional ? account : undefined, node)
      },
    },
  }
}

function userType(deps: Deps, token: Token): NodeType<User> {
  return {
    name: 'User',
    defaults: ['name', 'id'],
    fields: {
      id: (user) => user.id,
      name: (user) => user.name,
      email: (user) => (hasScope(deps, token, 'email') ? user.email : undefined),
    },
  }
}

/** The object "me" or an id stands for, as far as this module knows it. */
export async function renderBusinessNode(deps: Deps, request: GraphRequest, id: string): Promise<Record<string, unknown> | undefined> {
  const { token, fields } = request
  const { state } = deps
  const userId = id === 'me' && token.type === 'USER' ? token.userId : id
  const user = userId ? state.users.get(userId) : undefined
  if (user) {
    if (token.userId !== user.id || token.type !== 'USER') throw graphErrors.unknownObject(id)
    return render(userType(deps, token), user, fields)
  }
  const page = id === 'me' && token.type === 'PAGE' ? state.pages.get(token.pageId ?? '') : state.pages.get(id)
  if (page) {
    const allowed = token.type === 'PAGE' ? token.pageId === page.id : userSeesPage(deps, token, page)
    if (!allowed) throw graphErrors.unknownObject(id)
    return render(pageType(deps, token), page, fields)
  }
  const account = state.igAccounts.get(id)
  if (account) {
    const ownerPage = state.pages.get(account.pageId)
    const reachable = account.linked && account.professional && ownerPage !== undefined &&
      (token.type === 'PAGE' ? token.pageId === ownerPage.id : userSeesPage(deps, token, ownerPage) && hasScope(deps, token, 'instagram_basic'))
    if (!reachable) throw graphErrors.unknownObject(id)
    return render(igAccountType(deps), account, fields)
  }
  if (id === state.app.id || (id === 'app' && token.type === 'APP')) {
    return { name: state.app.name, link: `https://www.facebook.com/games/?app_id=${state.app.id}`, category: 'Business', id: state.app.id }
  }
  return undefined
}

function graphVersion(c: Context): string {
  return /^\/(v\d+\.\d+)\//.exec(new URL(c.req.url).pathname)?.[1] ?? 'v25.0'
}

/** Meta checks the callback the way it does in the App Dashboard: a GET with hub.challenge. */
async function verifyCallback(callbackUrl: string, verifyToken: string): Promise<void> {
  const challenge = String(Math.floor(Math.random() * 1_000_000_000))
  const url = new URL(callbackUrl)
  url.searchParams.set('hub.mode', 'subscribe')
  url.searchParams.set('hub.challenge', challenge)
  url.searchParams.set('hub.verify_token', verifyToken)
  let body: string
  let status: number
  try {
    const response = await fetch(url, { headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' }, signal: AbortSignal.timeout(10_000) })
    status = response.status
    body = await response.text()
  } catch {
    throw new GraphError({ message: "(#2200) callback verification failed: Couldn't connect to server", code: 2200 })
  }
  if (status !== 200) throw new GraphError({ message: `(#2200) callback verification failed: HTTP Status Code = ${status}`, code: 2200 })
  if (body.trim() !== challenge) {
    throw new GraphError({ message: `(#2201) response does not match challenge, expected value="${challenge}", received="${body.slice(0, 40)}"`, code: 2201 })
  }
}

export function registerBusinessRoutes(app: Hono<GraphEnv>, deps: Deps): void {
  app.get('/:id/accounts', async (c) => {
    const request = await graphRequest(c, deps)
    const { token } = request
    const id = c.req.param('id')
    if (token.type !== 'USER' || (id !== 'me' && id !== token.userId)) throw graphErrors.unknownObject(id)
    if (!hasScope(deps, token, 'pages_show_list')) throw graphErrors.permission('pages_show_list')
    const pages = [...deps.state.pages.values()].filter((page) => userSeesPage(deps, token, page))
    const { slice, paging } = paginate(pages, (page) => page.id, request.params.paging(), new URL(c.req.url))
    const type = pageType(deps, token)
    const fields = request.fields
    const selection = fields ?? ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'].map((name) => ({ name, args: {} }))
    return c.json(paging(await Promise.all(slice.map((page) => render(type, page, selection)))))
  })

  app.get('/:id/permissions', async (c) => {
    const { token } = await graphRequest(c, deps)
    const id = c.req.param('id')
    const userId = id === 'me' ? token.userId : id
    if (!userId || (token.type !== 'APP' && userId !== token.userId)) throw graphErrors.unknownObject(id)
    const scopes = [...(deps.state.grants.get(userId)?.scopes ?? [])]
    return c.json({ data: scopes.map((permission) => ({ permission, status: 'granted' })) })
  })

  app.delete('/:id/permissions/:permission?', async (c) => {
    const { token } = await graphRequest(c, deps)
    const id = c.req.param('id')
    const userId = id === 'me' ? token.userId : id
    if (!userId || (token.type !== 'APP' && userId !== token.userId)) throw graphErrors.unknownObject(id)
    const grant = deps.state.grants.get(userId)
    const permission = c.req.param('permission')
    if (grant && permission) {
      grant.scopes.delete(permission)
    } else if (grant) {
      // Removing the app: every token the person gave it stops working (190/458).
      grant.active = false
      grant.version++
      grant.pageIds = []
      grant.scopes.clear()
    }
    return c.json({ success: true })
  })

  app.on(['GET', 'POST', 'DELETE'], '/:id/subscribed_apps', async (c) => {
    const { token, params } = await graphRequest(c, deps)
    const page = pageFor(deps, token, c.req.param('id'))
    if (!hasScope(deps, token, 'pages_manage_metadata')) throw graphErrors.permission('pages_manage_metadata')
    const subscriptions = deps.state.pageSubscriptions
    if (c.req.method === 'GET') {
      const fields = subscriptions.get(page.id)
      const data = fields
        ? [{ category: 'Business', link: `https://www.facebook.com/games/?app_id=${deps.state.app.id}`, name: deps.state.app.name, id: deps.state.app.id, subscribed_fields: fields }]
        : []
      return c.json({ data })
    }
    if (c.req.method === 'DELETE') {
      subscriptions.delete(page.id)
      return c.json({ success: true })
    }
    const fields = params.list('subscribed_fields') ?? params.list('fields')
    if (!fields || fields.length === 0) throw graphErrors.invalidParam('The parameter subscribed_fields is required')
    const unknown = fields.find((field) => !PAGE_WEBHOOK_FIELDS.includes(field))
    if (unknown) throw graphErrors.invalidParam(`Param subscribed_fields[0] must be one of {${PAGE_WEBHOOK_FIELDS.join(', ')}} - got "${unknown}"`)
    subscriptions.set(page.id, [...new Set(fields)])
    return c.json({ success: true })
  })

  app.on(['GET', 'POST', 'DELETE'], '/:id/subscriptions', async (c) => {
    const { token, params } = await graphRequest(c, deps)
    const id = c.req.param('id')
    if (id !== deps.state.app.id) throw graphErrors.unknownObject(id)
    if (token.type !== 'APP') throw new GraphError({ message: '(#15) This method must be called with an app access_token.', code: 15 })
    const version = graphVersion(c)
    if (c.req.method === 'GET') {
      const subscription = deps.state.appSubscription
      const data = subscription
        ? [{ object: subscription.object, callback_url: subscription.callbackUrl, active: true, fields: subscription.fields.map((name) => ({ name, version })) }]
        : []
      return c.json({ data })
    }
    if (c.req.method === 'DELETE') {
      const remove = params.list('fields')
      const subscription = deps.state.appSubscription
      if (subscription && remove) subscription.fields = subscription.fields.filter((field) => !remove.includes(field))
      if (!remove || subscription?.fields.length === 0) deps.state.appSubscription = undefined
      return c.json({ success: true })
    }
    const object = params.required('object')
    if (object !== 'instagram') throw graphErrors.invalidParam(`The sandbox only emulates the "instagram" webhook object, not "${object}"`)
    const callbackUrl = params.required('callback_url')
    const verifyToken = params.required('verify_token')
    const fields = params.list('fields') ?? []
    const unknown = fields.find((field) => !INSTAGRAM_WEBHOOK_FIELDS.includes(field))
    if (unknown) throw graphErrors.invalidParam(`Param fields[0] must be one of {${INSTAGRAM_WEBHOOK_FIELDS.join(', ')}} - got "${unknown}"`)
    if (!/^https?:\/\//.test(callbackUrl)) throw graphErrors.invalidParam('Param callback_url must be a valid URL')
    await verifyCallback(callbackUrl, verifyToken)
    const previous = deps.state.appSubscription
    const merged = previous?.callbackUrl === callbackUrl ? [...new Set([...previous.fields, ...fields])] : fields
    deps.state.appSubscription = { object, callbackUrl, verifyToken, fields: merged }
    return c.json({ success: true })
  })
}
