// Several nodes of the Parley server as real processes on one PostgreSQL database: any node takes
// Meta's webhooks and every window hears of them, a node killed with kill -9 loses nothing it
// acknowledged, and PostgreSQL restarting leaves the nodes ready again by themselves.
import { afterAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { signBody } from '../../../src-main/core/inbox/inbound/signature.ts'
import { openPostgresStore } from '../../../src-main/core/store/index.ts'
import { startSandbox } from '../../../src-main/sandbox/index.ts'
import { startTestPostgres, type TestPostgres } from '../../fixtures/postgres.ts'
import { customerWrites, signIn, spawnNode, teamEnv, type NodeProcess } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

const T0 = Date.now()

/** A signed webhook as Meta sends one: a customer's text to the business account. */
function webhook(appSecret: string, igAccountId: string, customer: string, mid: string, text: string) {
  const body = JSON.stringify({ object: 'instagram', entry: [{ id: igAccountId, time: T0, messaging: [{ sender: { id: customer }, recipient: { id: igAccountId }, timestamp: T0, message: { mid, text } }] }] })
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, appSecret) } }
}

async function deliver(url: string, request: ReturnType<typeof webhook>): Promise<boolean> {
  try {
    const response = await fetch(`${url}/webhooks/instagram`, { method: 'POST', ...request, signal: AbortSignal.timeout(5000) })
    return response.status === 200
  } catch {
    return false // the node is gone: Meta will deliver again
  }
}

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('two nodes on one database', () => {
  it('take webhooks on either node, show them in windows on the other, and lose nothing acknowledged when one is killed', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const a = await spawnNode(team)
    const b = await spawnNode(team)
    onCleanup(() => Promise.all([a.kill(), b.kill()]))
    const onA = await signIn(a.url, 'anna', PASSWORD)
    const onB = await signIn(b.url, 'anna', PASSWORD)
    onCleanup(async () => [onA, onB].forEach((w) => w.close()))
    const nordlicht = await connectNordlicht(a.url, onA)
    const account = nordlicht.instagram.id

    // The customer writes; the sandbox delivers to the node it knows. Windows on both nodes hear of it (LISTEN/NOTIFY).
    const isNew = (e: { name: string; payload: unknown }) => e.name === 'inbox.changed' && (e.payload as { newInbound: boolean }).newInbound
    const [seenOnA, seenOnB] = [onA.next(isNew), onB.next(isNew)]
    await customerWrites(team.sandbox.url, account, { text: 'Hallo!' })
    const { conversationIds: [conversationId] } = (await seenOnB).payload as { conversationIds: string[] }
    expect(((await seenOnA).payload as { conversationIds: string[] }).conversationIds).toEqual([conversationId])
    // Meta names the customer by the IGSID this business sees.
    const igsid = (await onB.call<{ conversation: { customer: { igsid: string } } }>('inbox.thread', { conversationId, limit: 1 })).conversation.customer.igsid
    // A webhook taken by node A is seen by a window connected to node B.
    const again = onB.next((e) => isNew(e) && e !== (onB.events.find(isNew)))
    expect(await deliver(a.url, webhook(team.sandbox.appSecret, account, igsid, 'm-via-a', 'Hallo von A'))).toBe(true)
    await again
    expect((await onB.call<{ messages: { text: string }[] }>('inbox.thread', { conversationId, limit: 5 })).messages.map((m) => m.text).sort()).toEqual(['Hallo von A', 'Hallo!'])

    // Meta streams 120 messages to both nodes (every mid twice, as Meta may) while node A is killed.
    const acknowledged = new Set<string>()
    const mids = Array.from({ length: 120 }, (_, i) => `m-stream-${i}`)
    let killed: Promise<void> | null = null
    await Promise.all(mids.map(async (mid, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 4))
      if (i === 40) killed = a.kill()
      for (const node of i % 2 ? [a, b] : [b, a]) {
        if (await deliver(node.url, webhook(team.sandbox.appSecret, account, igsid, mid, `Nachricht ${i}`))) acknowledged.add(mid)
      }
    }))
    await killed
    expect(acknowledged.size).toBe(mids.length) // node B acknowledged what A no longer could

    const store = await openPostgresStore(team.databaseUrl)
    onCleanup(() => store.close())
    for (const mid of mids) expect(await store.messages.get(mid)).toMatchObject({ mid, text: expect.stringMatching(/^Nachricht \d+$/) })
    const client = new pg.Client({ connectionString: team.databaseUrl })
    await client.connect()
    const { rows } = await client.query<{ n: number; distinct_mids: number }>("SELECT count(*)::int AS n, count(DISTINCT mid)::int AS distinct_mids FROM messages WHERE mid LIKE 'm-stream-%'")
    await client.end()
    expect(rows[0]).toEqual({ n: 120, distinct_mids: 120 })
    expect((await store.conversations.get(conversationId!))?.unreadCount).toBe(122)

    // The reply goes out once, from the node that is left.
    const agentId = (await onB.call<{ person: { id: string } }>('session.get')).person.id
    await onB.call('inbox.assign', { conversationId, personId: agentId })
    expect(await onB.call('inbox.send', { id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', conversationId, text: 'Danke, bis gleich!' })).toMatchObject({ state: 'sent' })
    const sent = JSON.stringify(await (await fetch(`${team.sandbox.url}/__sandbox/sent`)).json())
    expect(sent.split('Danke, bis gleich!').length - 1).toBe(1)
  }, 120_000)
})

describe('PostgreSQL restarting under running nodes', () => {
  let server: TestPostgres | null = null
  afterAll(async () => server?.stop())

  it('makes them report not ready meanwhile, and ready again by themselves — windows keep hearing events', async () => {
    server = await startTestPostgres() // its own server: the others' tests must not feel the restart
    const sandbox = await startSandbox({ port: 0 })
    onCleanup(() => sandbox.close())
    const env = teamEnv(await server.createDatabase(), sandbox)
    const store = await openPostgresStore(env.databaseUrl)
    onCleanup(() => store.close())
    const { createPeopleService } = await import('../../../src-main/core/people/peopleService.ts')
    await createPeopleService({ store, now: Date.now, onSessionsEnded: () => {} }).add({ username: 'anna', name: 'Anna Berg', role: 'supervisor', messageCapacity: 4, password: PASSWORD })
    const nodes: NodeProcess[] = [await spawnNode(env), await spawnNode(env)]
    onCleanup(() => Promise.all(nodes.map((n) => n.kill())))
    const ready = async (node: NodeProcess) => (await fetch(`${node.url}/readyz`)).status
    expect(await Promise.all(nodes.map(ready))).toEqual([200, 200])
    const onA = await signIn(nodes[0]!.url, 'anna', PASSWORD)
    const onB = await signIn(nodes[1]!.url, 'anna', PASSWORD)
    onCleanup(async () => [onA, onB].forEach((w) => w.close()))

    const restart = server.restart({ downMs: 3000 })
    await until(async () => (await Promise.all(nodes.map(ready))).every((status) => status === 503))
    expect((await fetch(`${nodes[0]!.url}/healthz`)).status).toBe(200)
    await restart
    await until(async () => (await Promise.all(nodes.map(ready))).every((status) => status === 200))

    // After the outage a change made on node A reaches the window on node B again.
    const heard = onB.next((e) => e.name === 'people.changed', 15_000)
    await until(async () => (await onA.reply('people.add', { username: 'ben', name: 'Ben Kraus', role: 'agent', password: 'bens-first-password' })).ok)
    await heard
    expect(nodes.every((n) => n.process.exitCode === null)).toBe(true)
  }, 120_000)
})
