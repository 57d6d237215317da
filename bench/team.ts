// Team mode, measurements 2 and 3, on two server nodes (real processes) sharing one database:
// - a customer's message delivered by webhook to node A, until its text is in the DOM of a
//   Chromium window signed in through node B (LISTEN/NOTIFY between them);
// - one event reaching many signed-in windows at once, spread over both nodes.
import { createPeopleService } from '../src-main/core/people/peopleService.ts'
import { openPostgresStore } from '../src-main/core/store/index.ts'
import { startSandbox, type RunningSandbox } from '../src-main/sandbox/index.ts'
import { createDatabaseAt } from '../test/fixtures/postgres.ts'
import { connectNordlicht, openWindow, signIn, spawnNode, teamEnv, type NodeProcess, type SignedInWindow } from '../test/fixtures/teamServer.ts'
import { customerWrites, launchChromium } from './browserSession.ts'
import { measureLatency, type LatencyResult } from './latency.ts'
import { percentile } from './stats.ts'

export interface TeamResults {
  crossNode: LatencyResult
  fanOut: LatencyResult & { windows: number; events: number }
}

const PASSWORD = 'bench-supervisor-password'

interface Delivery {
  body: string
  attempts: { at: string }[]
}

export async function measureTeam(adminUrl: string, options: { probes: number; windows: number; events: number }, progress: (line: string) => void = () => {}): Promise<TeamResults> {
  let sandbox: RunningSandbox | null = null
  const nodes: NodeProcess[] = []
  const windows: SignedInWindow[] = []
  const browser = await launchChromium()
  try {
    sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
    const team = teamEnv(await createDatabaseAt(adminUrl, 'bench_team'), sandbox)
    const store = await openPostgresStore(team.databaseUrl)
    await createPeopleService({ store, now: Date.now, onSessionsEnded: () => {} }).add({ username: 'anna', name: 'Anna Berg', role: 'supervisor', messageCapacity: 4, password: PASSWORD })
    await store.close()
    // Node B first: the sandbox delivers webhooks to the node that registered last, node A.
    const nodeB = await spawnNode(team)
    const nodeA = await spawnNode(team)
    nodes.push(nodeA, nodeB)
    const supervisor = await signIn(nodeA.url, 'anna', PASSWORD)
    windows.push(supervisor)
    await connectNordlicht(nodeA.url, supervisor)

    progress(`team latency: ${options.probes} messages by webhook to node A, seen in a window on node B`)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(nodeB.url)
    await page.getByLabel('Username').fill('anna')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Inbox' }).waitFor()
    const crossNode = await measureLatency(page, sandbox, nodeB.url, options.probes)
    await context.close()

    progress(`fan-out: ${options.windows} signed-in windows over both nodes, ${options.events} events`)
    for (let i = 0; i < options.windows; i++) {
      const node = i % 2 ? nodeB : nodeA
      windows.push(await openWindow(node.url, { cookie: supervisor.cookie, origin: node.url }))
    }
    const listeners = windows.slice(1)
    const samples: number[] = []
    for (let n = 0; n < options.events; n++) {
      const text = `Fan-out probe #${n}.`
      for (const window of listeners) window.events.length = 0
      const arrivals = listeners.map((window) => window.next((e) => e.name === 'inbox.changed' && (e.payload as { newInbound: boolean }).newInbound, 15_000).then(() => Date.now()))
      await customerWrites(sandbox, 'lea', text)
      const arrived = await Promise.all(arrivals)
      const deliveries = ((await (await fetch(`${sandbox.url}/__sandbox/webhooks`)).json()) as { data: Delivery[] }).data
      const postedAt = Date.parse(deliveries.find((d) => d.body.includes(text))!.attempts[0]!.at)
      samples.push(...arrived.map((at) => at - postedAt))
    }
    return {
      crossNode,
      fanOut: { samples, p50: percentile(samples, 50), p95: percentile(samples, 95), windows: listeners.length, events: options.events },
    }
  } finally {
    for (const window of windows) window.close()
    await Promise.all(nodes.map((node) => node.stop()))
    await sandbox?.close()
    await browser.close()
  }
}
