import { randomUUID } from 'node:crypto'
import type { Logger } from '../app/logger.ts'
import type { CallContext } from '../contract/context.ts'
import type { LoginService, PendingLogin } from '../auth/loginService.ts'
import { ParleyError } from '../contract/errors.ts'
import type { Integration, IntegrationHealth, Problem, SaveResult } from '../contract/integrations.ts'
import { GraphError, isGraphError, type GraphClient, type TokenInfo } from '../graph/index.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import { DEFAULT_PROFILE_ID } from './contentProfiles.ts'
import { toView, UNCHECKED_HEALTH, type IntegrationStore, type StoredIntegration } from './integrationStore.ts'
import type { PageFacts } from './pageChoices.ts'
import { allPassed, checkPrerequisites } from './prerequisites.ts'
import { PAGE_WEBHOOK_FIELDS } from './requirements.ts'

export interface IntegrationServiceDeps {
  graph: () => GraphClient
  store: IntegrationStore
  secrets: ParleySecrets
  logins: LoginService
  /** Integrations changed in the store: every node (every window) should learn of it. */
  onChange: () => void
  log: Logger
  now?: () => Date
}

export type IntegrationChanges = Partial<Pick<Integration, 'name' | 'contentProfileId' | 'storyMentions' | 'storyReplies'>>


/** S1–S13: creating, keeping, checking and deleting Instagram integrations. */
export function createIntegrationService(deps: IntegrationServiceDeps) {
  const now = () => (deps.now ?? (() => new Date()))()
  const announce = () => deps.onChange()
  const find = (id: string): StoredIntegration => {
    const integration = deps.store.get(id)
    if (!integration || integration.deletedAt) throw new ParleyError('not_found', 'That integration no longer exists.')
    return integration
  }
  const pageToken = async (integration: StoredIntegration) => {
    const token = await deps.secrets.pageToken(integration.id).get()
    if (!token) throw new GraphError({ kind: 'token_invalid', reason: 'token_invalid.missing', message: 'Parley holds no token for this integration (the keychain has none).', remedy: 'Recreate the integration to log in again.' })
    return token
  }

  /** Fresh facts and the page token, read with the login's user token at the moment of saving. */
  async function pageForSave(login: PendingLogin, pageId: string): Promise<{ facts: PageFacts; token: string }> {
    const graph = deps.graph()
    const userToken = await deps.logins.userToken(login.id)
    const page = (await graph.listPages(userToken)).find((p) => p.id === pageId)
    const known = login.pages.find((p) => p.id === pageId)
    if (!page || !known || !page.accessToken) {
      throw new ParleyError('page_not_granted', 'The Facebook login did not grant access to this page. Log in again and select it.')
    }
    const facts: PageFacts = {
      id: page.id,
      name: page.name,
      published: page.isPublished,
      instagram: page.instagram ? { id: page.instagram.id, username: page.instagram.username ?? page.instagram.id } : null,
      switchNotConfirmed: !page.instagram && known.switchNotConfirmed,
    }
    return { facts, token: page.accessToken }
  }

  /** Checks S2, subscribes the page's webhooks (S7), keeps the token in the keychain, stores the rest. */
  async function connect(login: PendingLogin, pageId: string, build: (facts: PageFacts & { instagram: { id: string; username: string } }) => StoredIntegration): Promise<SaveResult> {
    const { facts, token } = await pageForSave(login, pageId)
    const checks = checkPrerequisites(facts, login.grantedScopes)
    if (!allPassed(checks) || !facts.instagram) return { saved: false, checks }
    const graph = deps.graph()
    await graph.subscribeApp(facts.id, token, [...PAGE_WEBHOOK_FIELDS])
    const integration = build({ ...facts, instagram: facts.instagram })
    await deps.secrets.pageToken(integration.id).set(token)
    const info = await graph.debugToken(token).catch(() => null)
    await deps.store.put({
      ...integration,
      status: 'active',
      problem: null,
      health: { ...integration.health, ...(info ? tokenHealth(info, now()) : {}), webhook: 'subscribed' },
    })
    announce()
    return { saved: true, integration: toView(find(integration.id)) }
  }

  const service = {
    list: (): Integration[] => deps.store.list().map(toView),

    async create(input: { loginId: string; pageId: string; name: string }, context: CallContext): Promise<SaveResult> {
      const login = deps.logins.usable(input.loginId, 'create', context)
      // S6: one page, one integration.
      const existing = deps.store.list().find((i) => i.pageId === input.pageId)
      if (existing) throw new ParleyError('page_already_integrated', `This page is already used by "${existing.name}". More pages need more integrations.`)
      if (deps.store.list().some((i) => i.name.toLowerCase() === input.name.toLowerCase())) {
        throw new ParleyError('duplicate_name', `An integration called "${input.name}" already exists.`)
      }
      return connect(login, input.pageId, (facts) => ({
        id: randomUUID(),
        name: input.name,
        pageId: facts.id,
        pageName: facts.name,
        instagram: facts.instagram,
        status: 'active',
        problem: null,
        contentProfileId: DEFAULT_PROFILE_ID,
        storyMentions: true,
        storyReplies: true,
        createdAt: now().toISOString(),
        deletedAt: null,
        health: UNCHECKED_HEALTH,
      }))
    },

    /** S11: the same integration — name, profiles, routing — on the tokens of a new login. */
    async recreate(input: { id: string; loginId: string }, context: CallContext): Promise<SaveResult> {
      const integration = find(input.id)
      const login = deps.logins.usable(input.loginId, 'recreate', context)
      if (login.integrationId !== integration.id) throw new ParleyError('login_incomplete', 'That login was made for another integration.')
      return connect(login, integration.pageId, (facts) => ({
        ...integration,
        pageName: facts.name,
        instagram: facts.instagram,
        health: UNCHECKED_HEALTH,
      }))
    },

    async update(id: string, changes: IntegrationChanges): Promise<Integration> {
      find(id)
      if (changes.name && deps.store.list().some((i) => i.id !== id && i.name.toLowerCase() === changes.name!.toLowerCase())) {
        throw new ParleyError('duplicate_name', `An integration called "${changes.name}" already exists.`)
      }
      const updated = await deps.store.update(id, changes)
      announce()
      return toView(updated)
    },

    /** S12: unsubscribe the page, remove its token, keep a tombstone for its conversations. */
    async delete(id: string): Promise<void> {
      const integration = find(id)
      const token = await deps.secrets.pageToken(id).get()
      if (token) {
        await deps
          .graph()
          .unsubscribeApp(integration.pageId, token)
          .catch((error: unknown) => {
            // A dead token cannot unsubscribe; Meta drops its subscriptions with it. Anything else is worth knowing.
            if (!(isGraphError(error) && error.kind === 'token_invalid')) throw error
          })
      }
      await deps.secrets.pageToken(id).delete()
      await deps.store.update(id, { deletedAt: now().toISOString(), health: { ...integration.health, webhook: 'not_subscribed' } })
      announce()
    },

    /** S13 and S11: token validity and expiry, webhook subscription, rate-limit usage. */
    async checkHealth(): Promise<Integration[]> {
      const graph = deps.graph()
      for (const integration of deps.store.list()) {
        const checkedAt = now().toISOString()
        try {
          const token = await pageToken(integration)
          const info = await graph.debugToken(token)
          deps.log.info('token checked', { integration: integration.id, valid: info.isValid, expiresAt: info.expiresAt?.toISOString() ?? null })
          if (!info.isValid) {
            const problem: Problem = info.problem
              ? { code: info.problem.reason, message: info.problem.message, remedy: info.problem.remedy ?? null }
              : { code: 'token_invalid', message: 'Meta no longer accepts this integration’s token.', remedy: 'Recreate the integration to log in again.' }
            await deps.store.update(integration.id, { status: 'disconnected', problem, health: { ...integration.health, tokenValid: false, checkedAt } })
            continue
          }
          const apps = await graph.subscribedApps(integration.pageId, token)
          const usage = graph.usage().perObject
          const percents = [usage[integration.pageId], usage[integration.instagram.id]].filter((p): p is number => p !== undefined)
          await deps.store.update(integration.id, {
            status: 'active',
            problem: null,
            health: {
              ...integration.health,
              ...tokenHealth(info, new Date(checkedAt)),
              webhook: apps.some((app) => app.id === graph.appId) ? 'subscribed' : 'not_subscribed',
              rateLimitPercent: percents.length ? Math.max(...percents) : integration.health.rateLimitPercent,
            },
          })
        } catch (error) {
          await service.recordFailure(integration.id, error)
          if (!(isGraphError(error) && error.kind === 'token_invalid')) deps.log.warn('health check failed', { integration: integration.id, reason: isGraphError(error) ? error.reason : 'unknown' })
        }
      }
      announce()
      return service.list()
    },

    /** Any call that finds the token dead marks the integration Disconnected with Meta's reason (S11). */
    async recordFailure(id: string, error: unknown): Promise<void> {
      if (!(isGraphError(error) && error.kind === 'token_invalid')) return
      const integration = deps.store.get(id)
      if (!integration || integration.deletedAt) return
      await deps.store.update(id, {
        status: 'disconnected',
        problem: { code: error.reason, message: error.message, remedy: error.remedy ?? null },
        health: { ...integration.health, tokenValid: false, checkedAt: now().toISOString() },
      })
    },

    /** Pages in use, for the login's S5 and S6 checks. */
    integratedPages: () => deps.store.list().map((i) => ({ integrationId: i.id, pageId: i.pageId, integrationName: i.name })),
  }
  return service
}

export type IntegrationService = ReturnType<typeof createIntegrationService>

/** What debug_token says about a valid page token, as S13 shows it. */
function tokenHealth(info: TokenInfo, checkedAt: Date): Pick<IntegrationHealth, 'tokenValid' | 'tokenExpiresAt' | 'tokenNeverExpires' | 'checkedAt'> {
  return {
    tokenValid: info.isValid,
    tokenExpiresAt: info.expiresAt?.toISOString() ?? null,
    tokenNeverExpires: info.isValid && info.expiresAt === null,
    checkedAt: checkedAt.toISOString(),
  }
}
