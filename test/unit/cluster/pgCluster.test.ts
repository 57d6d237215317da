// The nodes of a team server hear each other through PostgreSQL: events reach every node's windows
// once, with their audience; signals reach every node; work one node at a time must do is led by
// one node, and taken over when that node dies.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createStderrLogger } from '../../../src-main/core/app/logger.ts'
import type { EventMessage } from '../../../src-main/core/contract/index.ts'
import { openPgCluster, type PgCluster } from '../../../src-main/core/cluster/pgCluster.ts'
import { openPostgresStore, type Store } from '../../../src-main/core/store/index.ts'
import { createTestDatabase } from '../../fixtures/testDatabase.ts'

const quiet = createStderrLogger(new Writable({ write: (_c, _e, done) => done() }))
const opened: (PgCluster | Store)[] = []
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close()
})

async function nodes(count: number, options: { leadershipMs?: number } = {}) {
  const url = await createTestDatabase('cluster')
  const store = await openPostgresStore(url)
  opened.push(store)
  const clusters: PgCluster[] = []
  for (let i = 0; i < count; i++) {
    const cluster = await openPgCluster({ connectionString: url, nodeId: `node-${i}`, url: `http://node-${i}`, nodes: store.nodes, log: quiet, ...options })
    opened.push(cluster)
    clusters.push(cluster)
  }
  return { url, store, clusters }
}

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('a team server cluster on PostgreSQL', () => {
  it('delivers every event to every node once, with its audience — long ones too', async () => {
    const { clusters } = await nodes(3)
    const heard = clusters.map(() => [] as [EventMessage, unknown][])
    clusters.forEach((cluster, i) => cluster.events.subscribe((event, audience) => heard[i]!.push([event, audience])))
    clusters[0]!.events.emit('inbox.changed', { conversationIds: ['c1'], newInbound: true }, { supervisors: true, people: ['p1'] })
    const many = Array.from({ length: 600 }, (_, i) => `conversation-${i}-with-a-long-id`)
    clusters[1]!.events.emit('inbox.changed', { conversationIds: many, newInbound: false })
    await until(() => heard.every((h) => h.length === 2))
    await new Promise((resolve) => setTimeout(resolve, 200))
    // Two nodes emitted: each node hears both once, in whatever order the two crossed.
    for (const h of heard) {
      expect(h).toHaveLength(2)
      expect(h).toEqual(
        expect.arrayContaining([
          [{ name: 'inbox.changed', payload: { conversationIds: ['c1'], newInbound: true } }, { supervisors: true, people: ['p1'] }],
          [{ name: 'inbox.changed', payload: { conversationIds: many, newInbound: false } }, undefined],
        ]),
      )
    }
    // emitLocal stays on its node.
    clusters[2]!.events.emitLocal('inbox.open', { conversationId: 'c9' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(heard.map((h) => h.length)).toEqual([2, 2, 3])
  })

  it('signals every node, and knows which nodes are alive', async () => {
    const { clusters } = await nodes(2)
    const ended: string[] = []
    clusters.forEach((cluster, i) => cluster.onSignal('sessions.ended', ({ personId }) => ended.push(`${i}:${personId}`)))
    clusters[0]!.signal('sessions.ended', { personId: 'ben', reason: 'deactivated' })
    await until(() => ended.length === 2)
    expect(ended.sort()).toEqual(['0:ben', '1:ben'])
    expect((await clusters[1]!.aliveNodes()).sort()).toEqual(['node-0', 'node-1'])
    await clusters[0]!.close()
    expect(await clusters[1]!.aliveNodes()).toEqual(['node-1'])
  })

  it('lets one node lead each key; when the leader is killed, another takes over within seconds', async () => {
    const { url, clusters } = await nodes(2, { leadershipMs: 200 })
    const child = spawn(process.execPath, ['test/fixtures/leaderProcess.ts', url, 'poll:nordlicht'], { cwd: new URL('../../../', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => (line === 'leading' ? resolve() : reject(new Error(line))))
      child.once('exit', (code) => reject(new Error(`the leader exited with ${code}`)))
    })
    for (const cluster of clusters) cluster.offerToLead(['poll:nordlicht', 'poll:hafenblick'])
    await until(() => clusters.filter((c) => c.leads('poll:hafenblick')).length === 1)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(clusters.some((c) => c.leads('poll:nordlicht'))).toBe(false)

    const killedAt = Date.now()
    child.kill('SIGKILL')
    await until(() => clusters.some((c) => c.leads('poll:nordlicht')), 30_000)
    expect(Date.now() - killedAt).toBeLessThan(30_000)
    expect(clusters.filter((c) => c.leads('poll:nordlicht'))).toHaveLength(1)
    // Given up when no longer offered.
    const leader = clusters.find((c) => c.leads('poll:nordlicht'))!
    leader.offerToLead([])
    await until(() => !leader.leads('poll:nordlicht'))
  }, 40_000)
})
