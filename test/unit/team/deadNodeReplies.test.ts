// A node dies while it is sending a reply: another node takes the reply up once the first is no
// longer alive, settles from Meta's own thread whether it went out, and it reaches the customer
// exactly once — whether the dead node's request had reached Meta or not.
import { describe, expect, it } from 'vitest'
import type { ReplyGraph } from '../../../src-main/core/inbox/outbound/index.ts'
import { openPostgresStore } from '../../../src-main/core/store/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'
import { eventually, startHarness } from '../inbox/outbound/sandboxHarness.ts'
import { onCleanup } from './teamHelpers.ts'

const never = () => new Promise<never>(() => {})

describe('a reply whose node died mid-send (team server)', () => {
  it.each([
    ['after Meta took it', true],
    ['before it reached Meta', false],
  ])('is settled by another node and reaches the customer exactly once — %s', async (_when, reachedMeta) => {
    const h = await startHarness()
    onCleanup(() => h.close())
    const url = await createTestDatabase()
    const [storeA, storeB] = [await openPostgresStore(url, { now: h.now }), await openPostgresStore(url, { now: h.now })]
    onCleanup(() => Promise.all([storeA.close(), storeB.close()]))
    const { conversation, igsid } = await h.customerWrites(storeA, reachedMeta ? 'lea' : 'tomas')

    // Node A's request goes out (or not), and then its process is gone: no answer ever comes back.
    const dying: ReplyGraph = { ...h.graph, send: async (token, request) => (reachedMeta ? (await h.graph.send(token, request), never()) : never()) }
    const a = h.sender(storeA, { graphRef: { current: dying }, nodeId: 'node-a', aliveNodes: async () => ['node-a', 'node-b'] })
    const id = reachedMeta ? '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a' : '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b'
    void a.sender.send({ id, conversationId: conversation.id, text: 'Bin gleich für dich da' })
    await eventually(async () => ((await storeB.outbox.get(id))?.state === 'sending' ? true : undefined), 'node A claiming the reply')
    if (reachedMeta) await eventually(async () => ((await h.sentTo(igsid)).length === 1 ? true : undefined), 'Meta receiving it')

    // While node A still counts as alive, node B leaves its reply alone.
    const b = h.sender(storeB, { nodeId: 'node-b', aliveNodes: async () => ['node-a', 'node-b'], settleMs: 50 })
    await b.sender.flush()
    expect(await storeB.outbox.get(id)).toMatchObject({ state: 'sending' })

    // Node A's heartbeat stopped: node B takes the reply up, waits for Meta to settle, and decides from Meta's thread.
    const later = h.sender(storeB, { nodeId: 'node-b', aliveNodes: async () => ['node-b'], settleMs: 50 })
    await later.sender.flush()
    expect(await storeB.outbox.get(id)).toMatchObject({ state: 'ambiguous' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await later.sender.flush()
    await later.sender.flush()
    expect(await storeB.outbox.get(id)).toMatchObject({ state: 'sent' })
    const accepted = (await h.sentTo(igsid)).filter((record) => record.outcome === 'accepted')
    expect(accepted).toHaveLength(1)
    expect((await storeB.messages.page(conversation.id, { limit: 10 })).filter((m) => m.text === 'Bin gleich für dich da')).toHaveLength(1)
  }, 60_000)
})
