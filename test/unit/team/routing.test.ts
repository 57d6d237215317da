// Routing on a team server with real nodes: an alert is a row, not a node's timer — when the node
// that made it is killed, another node expires it on time and offers the conversation to the next
// agent; supervisors on any node see Queue activity follow, and hear when a queue changes.
import { describe, expect, it } from 'vitest'
import type { AlertView, PresenceView, QueueActivityView, QueueView } from '../../../src-main/core/contract/index.ts'
import { customerWrites, signIn, spawnNode } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

describe('routing across nodes', () => {
  it('re-offers on time an alert whose node was killed, and marks its agent Not responding', async () => {
    const team = await startTeam()
    await team.addPerson('sara', 'Sara Vogel', 'supervisor')
    const anna = await team.addPerson('anna', 'Anna Berg', 'agent')
    const ben = await team.addPerson('ben', 'Ben Kraus', 'agent')
    const a = await spawnNode(team)
    onCleanup(() => a.kill())
    const b = await team.node()
    const supervisor = await signIn(b.url, 'sara', PASSWORD)
    onCleanup(async () => supervisor.close())
    const nordlicht = await connectNordlicht(b.url, supervisor)

    // The Default queue gets its members and the shortest alert timeout.
    const [queue] = (await supervisor.call<QueueView[]>('queues.list')).filter((q) => q.defaultFor === nordlicht.id)
    await supervisor.call('queues.update', { id: queue!.id, name: queue!.name, memberIds: [anna, ben], alertTimeoutSeconds: 7, wrapUpCodes: [], afterWork: 'optional' })

    // A customer writes while nobody is on queue: the conversation waits.
    const waiting = supervisor.next((e) => e.name === 'routing.activity' && (e.payload as QueueActivityView).queues.some((q) => q.id === queue!.id && q.waiting === 1))
    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { text: 'Habt ihr noch Bohnen aus Kenia?' })
    await waiting

    // Anna goes on queue through node A, which alerts her; then node A dies.
    const annaOnA = await signIn(a.url, 'anna', PASSWORD)
    onCleanup(async () => annaOnA.close())
    const alerted = annaOnA.next((e) => e.name === 'routing.alerts' && (e.payload as AlertView[]).length === 1)
    await annaOnA.call('presence.set', { presence: 'on_queue' })
    const [alert] = (await alerted).payload as AlertView[]
    expect(alert).toMatchObject({ queueName: queue!.name, firstMessage: 'Habt ihr noch Bohnen aus Kenia?' })
    await a.kill()

    // Ben is on queue through node B. When Anna's alert runs out, node B moves it to him.
    const benOnB = await signIn(b.url, 'ben', PASSWORD)
    onCleanup(async () => benOnB.close())
    const offeredToBen = benOnB.next((e) => e.name === 'routing.alerts' && (e.payload as AlertView[]).some((x) => x.conversationId === alert!.conversationId), 20_000)
    const annaNotResponding = supervisor.next((e) => e.name === 'presence.changed' && (e.payload as PresenceView).personId === anna && (e.payload as PresenceView).presence === 'not_responding', 20_000)
    await benOnB.call('presence.set', { presence: 'on_queue' })
    await offeredToBen
    const lateMs = Date.now() - Date.parse(alert!.expiresAt)
    expect(lateMs).toBeGreaterThanOrEqual(0)
    expect(lateMs).toBeLessThan(2500)
    await annaNotResponding

    // Ben accepts; the supervisor's Queue activity shows one interacting and Anna not responding.
    const settled = supervisor.next((e) => e.name === 'routing.activity' && (e.payload as QueueActivityView).queues.some((q) => q.id === queue!.id && q.interacting === 1 && q.waiting === 0))
    await benOnB.call('routing.accept', { conversationId: alert!.conversationId })
    const activity = (await settled).payload as QueueActivityView
    expect(activity.agents.filter((x) => [anna, ben].includes(x.personId)).map((x) => [x.name, x.presence, x.conversations, x.capacity]))
      .toEqual([['Anna Berg', 'not_responding', 0, 4], ['Ben Kraus', 'on_queue', 1, 4]])
    expect((await supervisor.call<{ routing: { history: { kind: string; personName: string | null }[] } }>('inbox.thread', { conversationId: alert!.conversationId, limit: 5 })).routing.history.map((h) => [h.kind, h.personName]))
      .toEqual([['routed', null], ['alerted', 'Anna Berg'], ['not_responding', 'Anna Berg'], ['alerted', 'Ben Kraus'], ['accepted', 'Ben Kraus']])
  }, 90_000)

  it('tells supervisors on every node when a queue is added, changed or deleted, and agents nothing', async () => {
    const team = await startTeam()
    await team.addPerson('sara', 'Sara Vogel', 'supervisor')
    await team.addPerson('max', 'Max Roth', 'supervisor')
    const anna = await team.addPerson('anna', 'Anna Berg', 'agent')
    const [a, b] = [await team.node(), await team.node()]
    const sara = await signIn(a.url, 'sara', PASSWORD)
    const max = await signIn(b.url, 'max', PASSWORD)
    const annaOnB = await signIn(b.url, 'anna', PASSWORD)
    onCleanup(async () => [sara, max, annaOnB].forEach((w) => w.close()))
    let heard = 0
    max.onEvent((e) => void (e.name === 'queues.changed' && heard++))
    const heardAgain = async (times: number) => {
      const deadline = Date.now() + 10_000
      while (heard < times && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      expect(heard).toBe(times)
    }

    const wholesale = await sara.call<QueueView>('queues.create', { name: 'Wholesale', memberIds: [anna], alertTimeoutSeconds: 30, wrapUpCodes: [], afterWork: 'optional' })
    await heardAgain(1)
    expect((await max.call<QueueView[]>('queues.list')).map((q) => q.name)).toContain('Wholesale')
    await sara.call('queues.update', { id: wholesale.id, name: 'Wholesale B2B', memberIds: [anna], alertTimeoutSeconds: 45, wrapUpCodes: [], afterWork: 'optional' })
    await heardAgain(2)
    await sara.call('queues.delete', { id: wholesale.id })
    await heardAgain(3)
    expect(annaOnB.events.some((e) => e.name === 'queues.changed')).toBe(false)
  }, 60_000)
})
