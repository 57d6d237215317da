// R1–R6 under load: `agents` simulated agents on queue, `conversations` new customers writing as
// fast as the sandbox delivers. Each agent accepts what it is offered and ends it at once, so
// seats free up and routing keeps going. Measured: from the sandbox starting a message's webhook
// POST to the alert arriving at the agent's connection (p50/p95), and conversations routed per
// minute (first delivery to last alert). On a team server (two nodes as processes on PostgreSQL,
// agents spread over both) and on one SQLite workstation (its core in this process; the agents
// act through its dispatcher, each as themselves).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { createStderrLogger } from '../src-main/core/app/logger.ts'
import { createParley } from '../src-main/core/app/parley.ts'
import type { AlertView, CallContext, QueueView, Reply } from '../src-main/core/contract/index.ts'
import { startMetaRuntime } from '../src-main/core/meta/metaRuntime.ts'
import { createPeopleService } from '../src-main/core/people/peopleService.ts'
import { actorOf } from '../src-main/core/people/permissions.ts'
import { createMemorySecretStore, createParleySecrets } from '../src-main/core/secrets/secretStore.ts'
import { createMemorySettingsFile } from '../src-main/core/settings/settingsFile.ts'
import { openPostgresStore, openStore, STORE_FILE_NAME } from '../src-main/core/store/index.ts'
import { loadSeed } from '../src-main/sandbox/seed.ts'
import { startSandbox, type RunningSandbox } from '../src-main/sandbox/index.ts'
import { createDatabaseAt } from '../test/fixtures/postgres.ts'
import { MARIA, PAGES, SandboxPerson } from '../test/fixtures/sandboxDialog.ts'
import { connectNordlicht, signIn, spawnNode, teamEnv, type NodeProcess, type SignedInWindow } from '../test/fixtures/teamServer.ts'
import { customerWrites } from './browserSession.ts'
import type { LatencyResult } from './latency.ts'
import { percentile } from './stats.ts'

export interface RoutingResult {
  alert: LatencyResult
  perMinute: number
  agents: number
  conversations: number
}

interface Options {
  agents: number
  conversations: number
}

const PASSWORD = 'bench-routing-password'
const probeText = (n: number) => `Routing probe #${n}: habt ihr Filterkaffee?`
const probeNumber = (text: string | null) => Number(/Routing probe #(\d+):/.exec(text ?? '')?.[1] ?? NaN)

/** One simulated agent: told of their alerts, answering with commands as themselves. */
interface BenchAgent {
  onAlerts(listener: (alerts: AlertView[]) => void): void
  call<T = unknown>(name: string, input?: unknown): Promise<T>
}

/** The sandbox with `count` more customers, each to write once. */
async function sandboxWithCustomers(count: number): Promise<RunningSandbox> {
  const seed = await loadSeed()
  for (let n = 0; n < count; n++) {
    seed.customers.push({ id: `bench-${n}`, name: `Bench Customer ${n}`, username: `bench.customer.${n}`, private: false, verified: false, followerCount: n, follows: [], followedBy: [], color: '#888888' })
  }
  const seedPath = join(mkdtempSync(join(tmpdir(), 'parley-bench-seed-')), 'seed.json')
  writeFileSync(seedPath, JSON.stringify(seed))
  return startSandbox({ port: 0, seedPath, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
}

/**
 * Agents accept each alert and end the conversation; resolves once every probe was alerted, with
 * when each alert arrived (by probe number).
 */
async function drive(sandbox: RunningSandbox, agents: BenchAgent[], conversations: number, progress: (line: string) => void): Promise<RoutingResult> {
  const alertedAt = new Map<number, number>()
  let done: () => void = () => {}
  const allAlerted = new Promise<void>((resolve) => (done = resolve))
  const handled = new Set<string>()
  for (const agent of agents) {
    agent.onAlerts((alerts) => {
      const at = Date.now()
      for (const alert of alerts) {
        if (handled.has(alert.conversationId)) continue
        handled.add(alert.conversationId)
        const n = probeNumber(alert.firstMessage)
        if (!Number.isNaN(n) && !alertedAt.has(n)) alertedAt.set(n, at)
        if (alertedAt.size === conversations) done()
        void agent
          .call('routing.accept', { conversationId: alert.conversationId })
          .then(() => agent.call('inbox.end', { conversationId: alert.conversationId, wrapUpCode: null }))
          .catch(() => {})
      }
    })
  }
  for (const agent of agents) await agent.call('presence.set', { presence: 'on_queue' })

  progress(`${conversations} customers write as fast as the sandbox delivers`)
  const inFlight = 16
  let next = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < conversations) {
      const n = next++
      await customerWrites(sandbox, `bench-${n}`, probeText(n))
    }
  }))
  const timeout = setTimeout(() => done(), 10 * 60_000)
  await allAlerted
  clearTimeout(timeout)
  if (alertedAt.size < conversations) throw new Error(`only ${alertedAt.size} of ${conversations} conversations were offered within 10 minutes`)

  const deliveries = ((await (await fetch(`${sandbox.url}/__sandbox/webhooks`)).json()) as { data: { body: string; attempts: { at: string }[] }[] }).data
  const postedAt = new Map<number, number>()
  for (const delivery of deliveries) {
    const n = probeNumber(delivery.body)
    if (!Number.isNaN(n) && delivery.attempts[0]) postedAt.set(n, Date.parse(delivery.attempts[0].at))
  }
  const samples = [...alertedAt].map(([n, at]) => at - postedAt.get(n)!)
  const first = Math.min(...postedAt.values())
  const last = Math.max(...alertedAt.values())
  return { alert: { samples, p50: percentile(samples, 50), p95: percentile(samples, 95) }, perMinute: (conversations / (last - first)) * 60_000, agents: agents.length, conversations }
}

/** Every agent a member of the Default queue, which asks no wrap-up. */
const queueWithEveryone = (queue: QueueView, agentIds: string[]) => ({ id: queue.id, name: queue.name, memberIds: agentIds, alertTimeoutSeconds: 30, wrapUpCodes: [], afterWork: 'none' })

export async function measureTeamRouting(adminUrl: string, options: Options, progress: (line: string) => void = () => {}): Promise<RoutingResult> {
  const sandbox = await sandboxWithCustomers(options.conversations)
  const nodes: NodeProcess[] = []
  const windows: SignedInWindow[] = []
  try {
    const team = teamEnv(await createDatabaseAt(adminUrl, 'bench_routing'), sandbox)
    const store = await openPostgresStore(team.databaseUrl)
    const people = createPeopleService({ store, now: Date.now, onSessionsEnded: () => {} })
    await people.add({ username: 'sara', name: 'Sara Vogel', role: 'supervisor', messageCapacity: 4, password: PASSWORD })
    progress(`team routing: ${options.agents} agents on two nodes`)
    const agentIds: string[] = []
    for (let n = 0; n < options.agents; n++) agentIds.push((await people.add({ username: `agent${n}`, name: `Agent ${n}`, role: 'agent', messageCapacity: 4, password: PASSWORD })).id)
    await store.close()
    nodes.push(await spawnNode(team), await spawnNode(team))
    const supervisor = await signIn(nodes[0]!.url, 'sara', PASSWORD)
    windows.push(supervisor)
    const nordlicht = await connectNordlicht(nodes[0]!.url, supervisor)
    const queue = (await supervisor.call<QueueView[]>('queues.list')).find((q) => q.defaultFor === nordlicht.id)!
    await supervisor.call('queues.update', queueWithEveryone(queue, agentIds))
    const agents: BenchAgent[] = []
    for (let n = 0; n < options.agents; n++) {
      const window = await signIn(nodes[n % 2]!.url, `agent${n}`, PASSWORD)
      windows.push(window)
      agents.push({
        onAlerts: (listener) => window.onEvent((event) => event.name === 'routing.alerts' && listener(event.payload)),
        call: (name, input) => window.call(name, input),
      })
    }
    return await drive(sandbox, agents, options.conversations, progress)
  } finally {
    for (const window of windows) window.close()
    await Promise.all(nodes.map((node) => node.stop()))
    await sandbox.close()
  }
}

export async function measureWorkstationRouting(options: Options, progress: (line: string) => void = () => {}): Promise<RoutingResult> {
  const sandbox = await sandboxWithCustomers(options.conversations)
  let stopParley: () => Promise<void> = async () => {}
  try {
    const env = { PARLEY_SANDBOX_URL: sandbox.url, PARLEY_SANDBOX_APP_ID: sandbox.appId, PARLEY_SANDBOX_APP_SECRET: sandbox.appSecret }
    const secrets = createParleySecrets(createMemorySecretStore(), 'bench-installation')
    const meta = await startMetaRuntime('sandbox', null, { env, secrets })
    const log = createStderrLogger(new Writable({ write: (_chunk, _encoding, next) => next() }))
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'parley-bench-routing-')), STORE_FILE_NAME))
    const parley = await createParley({ version: 'bench', dataDir: mkdtempSync(join(tmpdir(), 'parley-bench-data-')), settingsFile: createMemorySettingsFile(), secrets, meta, store, log })
    stopParley = () => parley.stop()
    const invoke = async <T>(name: string, input: unknown, context?: CallContext): Promise<T> => {
      const reply = (await parley.dispatcher.invoke(name, input, context)) as Reply<T>
      if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`)
      return reply.value
    }
    // The workstation's own person steps aside; the simulated agents take the conversations.
    await invoke('presence.set', { presence: 'offline' })
    parley.setLoginPresenter({ responseType: 'code', redirectUri: 'http://127.0.0.1:9/auth/callback', present: ({ url }) => url, endSession: async () => {} })
    const { loginId, popupUrl } = await invoke<{ loginId: string; popupUrl: string }>('login.start', { purpose: 'create' })
    await parley.completeLoginRedirect(await new SandboxPerson(MARIA.email, MARIA.password).complete(popupUrl, { pageIds: Object.values(PAGES) }))
    await invoke('integrations.create', { loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })

    progress(`workstation routing: ${options.agents} agents on one SQLite store`)
    const listeners = new Map<string, (alerts: AlertView[]) => void>()
    parley.events.subscribe((event, audience) => {
      if (event.name !== 'routing.alerts') return
      for (const personId of audience?.people ?? []) listeners.get(personId)?.(event.payload as AlertView[])
    })
    const agentIds: string[] = []
    const agents: BenchAgent[] = []
    for (let n = 0; n < options.agents; n++) {
      const person = await store.people.create({ username: `agent${n}`, name: `Agent ${n}`, role: 'agent', messageCapacity: 4, passwordHash: 'none:bench-agents-never-sign-in' }, Date.now())
      agentIds.push(person.id)
      const context: CallContext = { actor: actorOf({ ...person, username: person.username }), client: 'browser' }
      agents.push({ onAlerts: (listener) => void listeners.set(person.id, listener), call: (name, input) => invoke(name, input, context) })
    }
    const queue = (await invoke<QueueView[]>('queues.list', undefined)).find((q) => q.defaultFor !== null)!
    await invoke('queues.update', queueWithEveryone(queue, agentIds))
    return await drive(sandbox, agents, options.conversations, progress)
  } finally {
    await stopParley()
    await sandbox.close()
  }
}
