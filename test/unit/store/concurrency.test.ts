// Claims about several writers at once, proven over random interleavings against both engines:
// several connections to one SQLite file (two processes on a workstation), several pools on one
// PostgreSQL database (the nodes of a team server).
import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { InboundMessage, Store } from '../../../src-main/core/store/index.ts'
import { conversationFor, describeStore, IG_ACCOUNT, INTEGRATION, openAgain, QUEUE } from './helpers.ts'

const T0 = 1_760_000_000_000
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A message of one of three customers, by number: the same number is the same mid everywhere. */
const message = (n: number, direction: 'inbound' | 'echo'): InboundMessage => ({
  conversation: { integrationId: INTEGRATION, igAccountId: IG_ACCOUNT, customerIgsid: `customer-${n % 3}`, queueId: QUEUE, assignedAgentId: null, at: T0 },
  message: { mid: `m-${n}`, direction, kind: 'text', text: `text ${n}`, createdAt: T0 + n * 1000 },
})

/** A batch: message numbers, each with a direction fixed by its number (so a repeat is the same message). */
const batch = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 })
const run = (writes: { node: number; mids: number[]; delayMs: number }[]) => writes
const writes = fc.array(fc.record({ node: fc.integer({ min: 0, max: 2 }), mids: batch, delayMs: fc.integer({ min: 0, max: 4 }) }), { minLength: 2, maxLength: 8 }).map(run)

describeStore('several writers at once', (open, engine) => {
  async function nodes(count: number): Promise<Store[]> {
    const first = await open({ now: () => T0 })
    const others = await Promise.all(Array.from({ length: count - 1 }, () => openAgain(engine, first, { now: () => T0 })))
    return [first, ...others]
  }

  it('store every inbound message exactly once, and count each once, whatever overlaps and in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(writes, async (plan) => {
        const stores = await nodes(3)
        const direction = (n: number) => (n % 4 === 0 ? 'echo' : 'inbound')
        await Promise.all(plan.map(async ({ node, mids, delayMs }) => {
          await wait(delayMs)
          await stores[node]!.messages.insertInbound(mids.map((n) => message(n, direction(n))))
        }))
        const sent = [...new Set(plan.flatMap((w) => w.mids))]
        const reader = stores[0]!
        for (const n of sent) expect(await reader.messages.get(`m-${n}`)).toMatchObject({ text: `text ${n}` })
        const conversations = await reader.conversations.list({ limit: 10 })
        expect(conversations).toHaveLength(new Set(sent.map((n) => n % 3)).size)
        for (const c of conversations) {
          const mine = sent.filter((n) => `customer-${n % 3}` === c.customerIgsid)
          const inbound = mine.filter((n) => direction(n) === 'inbound')
          expect(c.unreadCount).toBe(inbound.length)
          expect(c.lastActivityAt).toBe(T0 + Math.max(...mine) * 1000)
          expect(c.lastCustomerMessageAt).toBe(inbound.length ? T0 + Math.max(...inbound) * 1000 : null)
          expect((await reader.messages.page(c.id, { limit: 100 })).length).toBe(mine.length)
        }
      }),
      { numRuns: engine === 'postgres' ? 12 : 25 },
    )
  }, 120_000)

  it('let each waiting reply be claimed exactly once, however many senders race for it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { minLength: 6, maxLength: 30 }), async (attempts) => {
        const stores = await nodes(3)
        const c = await conversationFor(stores[0]!, 'customer-1', T0, null)
        for (let i = 0; i < 6; i++) await stores[0]!.outbox.enqueue({ id: `r-${i}`, conversationId: c.id, text: `reply ${i}` })
        const claims = await Promise.all(attempts.map(async ([node, item, delayMs]) => {
          await wait(delayMs)
          const claimed = await stores[node]!.outbox.claim(`r-${item}`, { messagingType: 'RESPONSE' }, `node-${node}`)
          return claimed ? item : null
        }))
        const tried = new Set(attempts.map(([, item]) => item))
        for (const item of tried) expect(claims.filter((c) => c === item)).toHaveLength(1)
        for (const item of tried) expect(await stores[0]!.outbox.get(`r-${item}`)).toMatchObject({ state: 'sending', attempts: 1 })
      }),
      { numRuns: engine === 'postgres' ? 10 : 25 },
    )
  }, 120_000)

  it('count every failed sign-in, from any node at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 25 }), async (failures) => {
        const stores = await nodes(3)
        const policy = { windowMs: 3_600_000, lockAfter: 1000, lockMs: 60_000 }
        await Promise.all(failures.map(async ([node, delayMs]) => {
          await wait(delayMs)
          await stores[node]!.signInThrottle.recordFailure('account:anna', T0, policy)
        }))
        expect(await stores[0]!.signInThrottle.get('account:anna')).toMatchObject({ failures: failures.length })
      }),
      { numRuns: engine === 'postgres' ? 10 : 25 },
    )
  }, 120_000)
})
