// The control API under /__sandbox/: act as a customer or as Meta (clock, passwords, page settings,
// faults), and look inside (state, sent requests, webhook deliveries). Bodies are validated with zod.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { graphTime, parseDuration } from '../clock.ts'
import { ConversationActions } from '../conversations.ts'
import type { Deps } from '../deps.ts'
import { FaultRuleSchema } from '../faults.ts'
import type { GraphEnv } from '../graph.ts'
import { placeholderAsset } from '../media.ts'
import type { Message } from '../state.ts'

export class ControlError extends Error {
  readonly status: 400 | 404 | 409
  readonly issues: unknown

  constructor(status: 400 | 404 | 409, message: string, issues?: unknown) {
    super(message)
    this.status = status
    this.issues = issues
  }
}

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let json: unknown = {}
  const text = await c.req.text()
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text)
    } catch {
      throw new ControlError(400, 'The body must be JSON')
    }
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new ControlError(400, 'Invalid body: ' + parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '), parsed.error.issues)
  return parsed.data
}

const INBOUND_ATTACHMENT_TYPES = ['image', 'video', 'audio', 'file', 'share', 'ig_reel', 'reel', 'ig_post', 'ephemeral', 'unsupported_type'] as const

const InboundSchema = z
  .object({
    to: z.string().min(1),
    from: z.string().min(1),
    text: z.string().min(1).optional(),
    attachment: z.object({ type: z.enum(INBOUND_ATTACHMENT_TYPES), url: z.url().optional() }).optional(),
    story_mention: z.boolean().optional(),
    reply_to: z.union([z.string().min(1), z.object({ mid: z.string().min(1) }), z.object({ story: z.literal(true) })]).optional(),
    quick_reply: z.string().optional(),
  })
  .refine((value) => value.text !== undefined || value.attachment !== undefined || value.story_mention === true, {
    message: 'give text, attachment or story_mention',
  })

const MidSchema = z.object({ mid: z.string().min(1) })
const ReactSchema = z.object({ mid: z.string().min(1), reaction: z.string().min(1).nullable() })
const BusinessSendSchema = z
  .object({ from: z.string().min(1), to: z.string().min(1), text: z.string().min(1).optional(), attachment: z.object({ type: z.enum(['image', 'video', 'audio', 'file']) }).optional() })
  .refine((value) => value.text !== undefined || value.attachment !== undefined, { message: 'give text or attachment' })
const ClockSchema = z.object({ advance: z.string().optional(), freeze: z.boolean().optional() })
const PasswordSchema = z.object({ userId: z.string().min(1), password: z.string().min(1).optional() })
const PageSchema = z.object({
  pageId: z.string().min(1), published: z.boolean().optional(), igLinked: z.boolean().optional(),
  igProfessional: z.boolean().optional(), igSwitchConfirmed: z.boolean().optional(),
})
const FollowSchema = z.object({ business: z.string().min(1), customer: z.string().min(1), follows: z.boolean() })
const FaultsSchema = z.union([FaultRuleSchema, z.array(FaultRuleSchema), z.object({ rules: z.array(FaultRuleSchema) })])
const LimitsSchema = z.object({
  enforce: z.boolean().optional(), appCallsPerHour: z.number().int().positive().optional(),
  userCallsPerHour: z.number().int().positive().optional(), pageCallsPerHour: z.number().int().positive().optional(),
})
const ReplaySchema = z.object({ payload: z.record(z.string(), z.unknown()) })

export interface ControlHooks {
  /** Rebuilds state from the seed and restores the clock. */
  reset: () => void
}

export function registerControlRoutes(app: Hono<GraphEnv>, deps: Deps, hooks: ControlHooks): void {
  const actions = new ConversationActions(deps)
  const control = '/__sandbox'

  const message = (mid: string): Message => {
    const found = deps.state.messages.get(mid)
    if (!found) throw new ControlError(404, `No message with mid ${mid}`)
    return found
  }
  const account = (ref: string) => {
    const found = deps.state.findIgAccount(ref)
    if (!found) throw new ControlError(404, `No Instagram account or page ${ref}`)
    return found
  }
  const customer = (ref: string) => {
    const found = deps.state.findCustomer(ref)
    if (!found) throw new ControlError(404, `No customer ${ref}`)
    return found
  }

  app.get(`${control}/state`, (c) => {
    const { state } = deps
    return c.json({
      now: graphTime(deps.clock.now()),
      app: { id: state.app.id, secret: state.app.secret, name: state.app.name, redirectUris: state.app.redirectUris },
      users: [...state.users.values()].map((user) => ({ id: user.id, name: user.name, email: user.email, password: user.password })),
      pages: [...state.pages.values()].map((page) => {
        const ig = page.instagramId ? state.igAccounts.get(page.instagramId) : undefined
        return {
          id: page.id, name: page.name, category: page.category, published: page.published,
          roles: Object.fromEntries(page.roles),
          instagram: ig ? { id: ig.id, username: ig.username, name: ig.name, linked: ig.linked, professional: ig.professional, switchConfirmed: ig.switchConfirmed } : null,
        }
      }),
      customers: [...state.customers.values()].map((person) => ({
        id: person.id, name: person.name, username: person.username, private: person.private,
        igsids: Object.fromEntries([...state.igAccounts.keys()].map((igId) => [igId, state.igsid(person.id, igId)])),
        followedBy: [...person.followedBy], follows: [...person.follows],
      })),
      conversations: [...state.conversations.values()].map((conversation) => {
        const last = state.lastInboundAt(conversation)
        return {
          id: conversation.id, instagramId: conversation.igId, customer: conversation.customerId,
          igsid: state.igsid(conversation.customerId, conversation.igId), messages: conversation.messages.length,
          lastCustomerMessageAt: last === undefined ? null : graphTime(last),
        }
      }),
      grants: [...state.grants.values()].map((grant) => ({ userId: grant.userId, active: grant.active, scopes: [...grant.scopes], pageIds: grant.pageIds })),
      webhookSubscription: state.appSubscription ?? null,
      subscribedPages: Object.fromEntries(state.pageSubscriptions),
    })
  })

  app.post(`${control}/inbound`, async (c) => {
    const input = await body(c, InboundSchema)
    const to = account(input.to)
    const from = customer(input.from)
    const replyTo = typeof input.reply_to === 'string' ? { mid: input.reply_to } : input.reply_to
    if (replyTo && 'mid' in replyTo) message(replyTo.mid)
    const result = actions.receive({
      account: to, customer: from, text: input.text, attachment: input.attachment, storyMention: input.story_mention,
      replyTo, quickReply: input.quick_reply,
    })
    if (!result.delivered) return c.json({ mid: null, delivered: false, reason: result.reason })
    return c.json({
      mid: result.message.mid, delivered: true, webhook: result.webhook, conversationId: result.conversation.id,
      igsid: deps.state.igsid(from.id, to.id), timestamp: result.message.createdAt,
    })
  })

  app.post(`${control}/unsend`, async (c) => {
    const target = message((await body(c, MidSchema)).mid)
    if (target.direction !== 'inbound') throw new ControlError(409, 'Only the customer can unsend, and only their own messages')
    if (target.deleted) throw new ControlError(409, 'Already unsent')
    actions.unsend(target)
    return c.json({ ok: true })
  })

  app.post(`${control}/react`, async (c) => {
    const input = await body(c, ReactSchema)
    actions.react(message(input.mid), input.reaction)
    return c.json({ ok: true })
  })

  app.post(`${control}/seen`, async (c) => {
    actions.seen(message((await body(c, MidSchema)).mid))
    return c.json({ ok: true })
  })

  app.post(`${control}/business-send`, async (c) => {
    const input = await body(c, BusinessSendSchema)
    const from = account(input.from)
    const to = customer(input.to)
    const conversation = deps.state.conversationFor(from.id, to.id)
    const attachments = input.attachment ? [{ type: input.attachment.type, url: deps.media.add(placeholderAsset(input.attachment.type, from.color)) }] : []
    const sent = actions.sendFromBusiness(conversation, { text: input.text, attachments }, 'instagram-app')
    return c.json({ mid: sent.mid, conversationId: conversation.id })
  })

  // `now` in Graph's format (to the second); `nowMs` to the millisecond, for a client that follows the clock.
  const clockView = () => {
    const now = deps.clock.now()
    return { now: graphTime(now), nowMs: now, frozen: deps.clock.frozen }
  }
  app.get(`${control}/clock`, (c) => c.json(clockView()))
  app.post(`${control}/clock`, async (c) => {
    const input = await body(c, ClockSchema)
    if (input.freeze === true) deps.clock.freeze()
    if (input.freeze === false) deps.clock.unfreeze()
    if (input.advance !== undefined) {
      let ms: number
      try {
        ms = parseDuration(input.advance)
      } catch (error) {
        throw new ControlError(400, (error as Error).message)
      }
      if (ms < 0) throw new ControlError(400, 'The sandbox clock only moves forward')
      deps.clock.advance(ms)
    }
    return c.json(clockView())
  })

  app.post(`${control}/password`, async (c) => {
    const input = await body(c, PasswordSchema)
    const user = deps.state.users.get(input.userId)
    if (!user) throw new ControlError(404, `No user ${input.userId}`)
    user.credentialVersion++
    if (input.password) user.password = input.password
    deps.sessions.endAllFor(user.id)
    return c.json({ userId: user.id, invalidatedTokens: deps.tokens.invalidatedCount(user.id) })
  })

  app.post(`${control}/page`, async (c) => {
    const input = await body(c, PageSchema)
    const page = deps.state.pages.get(input.pageId)
    if (!page) throw new ControlError(404, `No page ${input.pageId}`)
    const ig = page.instagramId ? deps.state.igAccounts.get(page.instagramId) : undefined
    if (!ig && (input.igLinked !== undefined || input.igProfessional !== undefined || input.igSwitchConfirmed !== undefined)) {
      throw new ControlError(409, 'This page has no Instagram account in the seed')
    }
    if (input.published !== undefined) page.published = input.published
    if (ig && input.igLinked !== undefined) ig.linked = input.igLinked
    if (ig && input.igProfessional !== undefined) ig.professional = input.igProfessional
    if (ig && input.igSwitchConfirmed !== undefined) ig.switchConfirmed = input.igSwitchConfirmed
    return c.json({
      pageId: page.id, published: page.published,
      instagram: ig ? { id: ig.id, linked: ig.linked, professional: ig.professional, switchConfirmed: ig.switchConfirmed } : null,
    })
  })

  app.post(`${control}/follow`, async (c) => {
    const input = await body(c, FollowSchema)
    const business = account(input.business)
    const person = customer(input.customer)
    if (input.follows) person.followedBy.add(business.id)
    else person.followedBy.delete(business.id)
    return c.json({ business: business.id, customer: person.id, follows: person.followedBy.has(business.id) })
  })

  app.get(`${control}/faults`, (c) => c.json({ faults: deps.faults.list() }))
  app.post(`${control}/faults`, async (c) => {
    const input = await body(c, FaultsSchema)
    const rules = Array.isArray(input) ? input : 'rules' in input ? input.rules : [input]
    for (const rule of rules) deps.faults.add(rule)
    return c.json({ faults: deps.faults.list() })
  })
  app.delete(`${control}/faults`, (c) => {
    deps.faults.clear()
    return c.json({ faults: [] })
  })

  app.get(`${control}/sent`, (c) => c.json({ data: deps.state.sent }))

  app.get(`${control}/webhooks`, (c) => c.json({ data: deps.webhooks.list() }))
  app.post(`${control}/webhooks/replay`, async (c) => {
    const input = await body(c, ReplaySchema)
    const subscription = deps.state.appSubscription
    if (!subscription) throw new ControlError(409, 'The app has no webhook subscription')
    const delivery = deps.webhooks.enqueue(subscription.callbackUrl, 'replay', input.payload)
    return c.json({ id: delivery.id })
  })

  app.get(`${control}/limits`, (c) => c.json({ enforce: deps.limits.enforce, ...deps.limits.budgets }))
  app.post(`${control}/limits`, async (c) => {
    const input = await body(c, LimitsSchema)
    if (input.enforce !== undefined) deps.limits.enforce = input.enforce
    const { enforce: _enforce, ...budgets } = input
    deps.limits.budgets = { ...deps.limits.budgets, ...budgets }
    return c.json({ enforce: deps.limits.enforce, ...deps.limits.budgets })
  })

  app.post(`${control}/reset`, (c) => {
    hooks.reset()
    return c.json({ ok: true, now: graphTime(deps.clock.now()) })
  })

  app.all(`${control}/*`, () => {
    throw new ControlError(404, 'Unknown control route')
  })
}
