// I2: signed event subscriptions on a team server. A receiver sees every routing event of a
// scenario exactly once after dropping repeats by id, although the node delivering is killed with
// kill -9 in the middle of a delivery; every delivery carries a valid signature and nothing secret.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { verifySignature } from '../../../src-main/core/api/credentials.ts'
import type { EventBody } from '../../../src-main/core/api/eventPayload.ts'
import type { AlertView, DeliveryView, QueueView, SubscriptionView } from '../../../src-main/core/contract/index.ts'
import { customerWrites, signIn, spawnNode } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

interface Received {
  body: EventBody
  raw: string
  signature: string
  eventId: string
}

/** A CRM's endpoint: it keeps what arrives; `hold` keeps the first request waiting forever (its sender dies meanwhile). */
async function startReceiver() {
  const received: Received[] = []
  /** Events answered 204 — the held one only once another node delivered it again. */
  const answered = new Set<string>()
  let holdNext = false
  let held: (() => void) | null = null
  const heldArrived: Promise<void> = new Promise((resolve) => (held = resolve))
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = ''
    request.on('data', (chunk) => (raw += String(chunk)))
    request.on('end', () => {
      received.push({ body: JSON.parse(raw) as EventBody, raw, signature: String(request.headers['parley-signature']), eventId: String(request.headers['parley-event-id']) })
      if (holdNext) {
        holdNext = false
        held?.()
        return // never answered
      }
      answered.add(String(request.headers['parley-event-id']))
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/parley-events`,
    received,
    answered,
    hold: () => ((holdNext = true), heldArrived),
  }
}

describe('event subscriptions (I2)', () => {
  it('deliver every routing event at least once, signed, across a node killed mid-delivery; one id each', async () => {
    const team = await startTeam()
    await team.addPerson('sara', 'Sara Vogel', 'supervisor')
    const annaId = await team.addPerson('anna', 'Anna Berg', 'agent')
    const benId = await team.addPerson('ben', 'Ben Kraus', 'agent')
    const receiver = await startReceiver()

    // Only node A runs while the scenario happens.
    const a = await spawnNode(team)
    onCleanup(() => a.kill())
    const supervisor = await signIn(a.url, 'sara', PASSWORD)
    const nordlicht = await connectNordlicht(a.url, supervisor)
    const [support] = (await supervisor.call<QueueView[]>('queues.list')).filter((q) => q.defaultFor === nordlicht.id)
    await supervisor.call('queues.update', { id: support!.id, name: support!.name, memberIds: [annaId], alertTimeoutSeconds: 30, wrapUpCodes: ['Resolved'], afterWork: 'optional' })
    const billing = await supervisor.call<QueueView>('queues.create', { name: 'Billing', memberIds: [], wrapUpCodes: ['Paid'] })
    const created = await supervisor.call<{ subscription: SubscriptionView; secret: string }>('subscriptions.create', {
      url: receiver.url,
      types: ['conversation.started', 'conversation.routed', 'conversation.accepted', 'conversation.transferred', 'conversation.ended'],
    })
    expect(created.secret).toMatch(/^whsec_/)

    // The first delivery is held: node A is killed while it waits for the answer.
    const firstHeld = receiver.hold()
    const anna = await signIn(a.url, 'anna', PASSWORD)
    await anna.call('presence.set', { presence: 'on_queue' })
    const alerted = anna.next((e) => e.name === 'routing.alerts' && (e.payload as AlertView[]).length === 1)
    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { text: 'Die Rechnung stimmt nicht.' })
    const [alert] = (await alerted).payload as AlertView[]
    const conversationId = alert!.conversationId
    await anna.call('routing.accept', { conversationId })
    await anna.call('inbox.transfer', { conversationId, to: { queueId: billing.id } })
    await supervisor.call('inbox.assign', { conversationId, personId: benId })
    const ben = await signIn(a.url, 'ben', PASSWORD)
    await ben.call('inbox.end', { conversationId, wrapUpCode: 'Paid' })
    await firstHeld
    for (const window of [supervisor, anna, ben]) window.close()
    await a.kill()

    // Node B takes over once the dead node's lease runs out.
    const b = await team.node()
    const expected = await expectedEvents(team.databaseUrl)
    expect(expected.map((e) => e.type)).toEqual([
      'conversation.started', 'conversation.routed', 'conversation.accepted', 'conversation.transferred', 'conversation.accepted', 'conversation.ended',
    ])
    await expect.poll(() => receiver.answered.size, { timeout: 40_000, interval: 250 }).toBe(expected.length)

    const once = new Map(receiver.received.map((r) => [r.eventId, r]))
    expect([...once.keys()].sort()).toEqual(expected.map((e) => e.id).sort())
    // At least once: the held one came again, nothing else twice more than that.
    expect(receiver.received.length).toBeGreaterThanOrEqual(expected.length + 1)
    for (const delivery of receiver.received) {
      expect(verifySignature(created.secret, delivery.raw, delivery.signature, Date.now())).toBe(true)
      expect(verifySignature('whsec_someone-else', delivery.raw, delivery.signature, Date.now())).toBe(false)
      expect(delivery.body.id).toBe(delivery.eventId)
    }
    const ended = [...once.values()].find((r) => r.body.type === 'conversation.ended')!.body
    expect(ended.data).toMatchObject({ conversation: { id: conversationId, integrationId: nordlicht.id }, queue: { id: billing.id, name: 'Billing' }, agent: { id: benId, name: 'Ben Kraus' }, wrapUpCode: 'Paid' })
    expect(once.get(expected[3]!.id)!.body.data).toMatchObject({ queue: { name: 'Billing' }, by: { name: 'Anna Berg' } })
    // No message text, token or secret in any body.
    const everything = receiver.received.map((r) => r.raw).join('\n')
    expect(everything).not.toContain('Die Rechnung stimmt nicht.')
    expect(everything).not.toMatch(/EAAB[A-Za-z0-9]{20}/)
    expect(everything).not.toContain(created.secret)

    // The delivery log says what happened.
    const supervisorOnB = await signIn(b.url, 'sara', PASSWORD)
    onCleanup(async () => supervisorOnB.close())
    await expect.poll(async () => (await supervisorOnB.call<DeliveryView[]>('subscriptions.deliveries', { id: created.subscription.id })).every((d) => d.state === 'delivered')).toBe(true)
    const log = await supervisorOnB.call<DeliveryView[]>('subscriptions.deliveries', { id: created.subscription.id })
    expect(log).toHaveLength(expected.length)
    expect(Math.max(...log.map((d) => d.attempts))).toBeGreaterThanOrEqual(2)
  }, 90_000)
})

/** What the routing steps stored should have made: one event per type a step makes. */
async function expectedEvents(databaseUrl: string): Promise<{ id: string; type: string }[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ id: string; kind: string }>('SELECT id, kind FROM routing_events ORDER BY id')
    const types: Record<string, string[]> = {
      routed: ['started', 'routed'], accepted: ['accepted'], assigned: ['accepted'], transferred_to_queue: ['transferred'], transferred_to_person: ['transferred'], ended: ['ended'],
    }
    return rows.flatMap((row) => (types[row.kind] ?? []).map((type) => ({ id: `evt_${row.id}_${type}`, type: `conversation.${type}` })))
  } finally {
    await client.end()
  }
}
