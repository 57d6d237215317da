// `npm run bench`: Parley's performance numbers on this machine (numbers, not pass/fail). Prints a
// table and writes the same to bench/results/latest.json (gitignored).
//   --only ingest | browser | team | routing     one part only
//   --events N --conversations N --batch N --rounds N --probes N --loads N --windows N --agents N --arrivals N
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { ensureBuilt } from '../scripts/build.ts'
import { startTestPostgres } from '../test/fixtures/postgres.ts'
import { measureInBrowser } from './browser.ts'
import { measureIngest } from './ingest.ts'
import { measureTeamRouting, measureWorkstationRouting, type RoutingResult } from './routing.ts'
import { measureTeam } from './team.ts'
import { measureTeamIngest } from './teamIngest.ts'

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    events: { type: 'string', default: '100000' },
    conversations: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    probes: { type: 'string', default: '200' },
    loads: { type: 'string', default: '9' },
    windows: { type: 'string', default: '200' },
    agents: { type: 'string', default: '50' },
    arrivals: { type: 'string', default: '1000' },
  },
})
const count = (name: keyof typeof values) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number above 0, not "${values[name]}".`)
    process.exit(2)
  }
  return n
}
const PARTS = ['ingest', 'browser', 'team', 'routing'] as const
if (values.only !== undefined && !(PARTS as readonly string[]).includes(values.only)) {
  console.error(`--only takes ${PARTS.map((p) => `"${p}"`).join(', ')}, not "${values.only}".`)
  process.exit(2)
}
const runs = (part: (typeof PARTS)[number]) => values.only === undefined || values.only === part

interface Row {
  measurement: string
  value: number
  unit: string
  aim: string | null
  met: boolean | null
}

const rows: Row[] = []
const progress = (line: string) => console.error(`  … ${line}`)
const events = count('events')
const conversations = count('conversations')
const fmt = (n: number) => n.toLocaleString('en-US')

if (runs('ingest')) {
  const batch = count('batch')
  console.error(`Ingest: ${fmt(events)} webhook events over ${fmt(conversations)} conversations, ${batch} per POST / transaction`)
  const ingest = await measureIngest({ events, conversations, batch, rounds: count('rounds') }, progress)
  rows.push(
    { measurement: `Ingest (webhook → store), ${batch} events per POST`, value: Math.round(ingest.ingestPerSecond), unit: 'events/s', aim: null, met: null },
    { measurement: `Raw SQL insert of the same rows, ${batch} per transaction`, value: Math.round(ingest.rawPerSecond), unit: 'rows/s', aim: null, met: null },
    { measurement: 'Ingest ÷ raw', value: round1(ingest.ratio * 100), unit: '%', aim: '≥ 50 %', met: ingest.ratio >= 0.5 },
  )
}

if (runs('browser')) {
  console.error('Browser host: building the window if needed')
  ensureBuilt()
  const probes = count('probes')
  const result = await measureInBrowser({ probes, conversations, messages: events, loads: count('loads'), threads: 5 }, progress)
  const { latency, firstPaint, memory } = result
  rows.push(
    { measurement: `Webhook → visible, p50 (${probes} messages)`, value: round1(latency.p50), unit: 'ms', aim: null, met: null },
    { measurement: `Webhook → visible, p95 (${probes} messages)`, value: round1(latency.p95), unit: 'ms', aim: '< 50 ms', met: latency.p95 < 50 },
    { measurement: `Inbox first paint, ${fmt(conversations)} conversations (median of ${firstPaint.loads.length})`, value: Math.round(firstPaint.median), unit: 'ms', aim: '< 500 ms', met: firstPaint.median < 500 },
    { measurement: `The same rows as a static page: the floor (median of ${firstPaint.floorLoads.length})`, value: Math.round(firstPaint.floorMedian), unit: 'ms', aim: null, met: null },
    { measurement: `First paint ÷ floor, median of ${firstPaint.ratios.length} loads (each over the floor load beside it)`, value: round1(firstPaint.medianRatio), unit: '×', aim: '≤ 3 ×', met: firstPaint.medianRatio <= 3 },
    { measurement: 'Conversation rows in the DOM', value: firstPaint.rows, unit: 'rows', aim: '≤ 100', met: firstPaint.rows <= 100 },
    { measurement: `Main-process RSS, ${fmt(events)} messages, ${memory.threadsOpened} threads opened`, value: Math.round(memory.rssMb), unit: 'MB', aim: '< 250 MB', met: memory.rssMb < 250 },
    { measurement: 'Main-process heap used', value: Math.round(memory.heapUsedMb), unit: 'MB', aim: null, met: null },
  )
}

if (runs('team')) {
  console.error('Team server: a throwaway PostgreSQL server, two nodes, Chromium')
  ensureBuilt()
  const postgres = await startTestPostgres()
  try {
    const batch = count('batch')
    const ingest = await measureTeamIngest(postgres.adminUrl, { events, conversations, batch, rounds: count('rounds') }, progress)
    rows.push(
      { measurement: `Team ingest (webhook → PostgreSQL), ${batch} events per POST`, value: Math.round(ingest.ingestPerSecond), unit: 'events/s', aim: null, met: null },
      { measurement: `Plain batched SQL insert of the same rows into PostgreSQL`, value: Math.round(ingest.rawPerSecond), unit: 'rows/s', aim: null, met: null },
      { measurement: 'Team ingest ÷ plain insert', value: round1(ingest.ratio * 100), unit: '%', aim: null, met: null },
    )
    const probes = count('probes')
    const team = await measureTeam(postgres.adminUrl, { probes, windows: count('windows'), events: 5 }, progress)
    rows.push(
      { measurement: `Webhook on node A → visible on node B, p50 (${probes} messages)`, value: round1(team.crossNode.p50), unit: 'ms', aim: null, met: null },
      { measurement: `Webhook on node A → visible on node B, p95 (${probes} messages)`, value: round1(team.crossNode.p95), unit: 'ms', aim: null, met: null },
      { measurement: `One event to ${team.fanOut.windows} signed-in windows on 2 nodes, p95 (${team.fanOut.events} events)`, value: round1(team.fanOut.p95), unit: 'ms', aim: null, met: null },
    )
  } finally {
    await postgres.stop()
  }
}

if (runs('routing')) {
  const options = { agents: count('agents'), conversations: count('arrivals') }
  console.error(`Routing: ${options.agents} agents, ${fmt(options.conversations)} new conversations, on a team server and on a workstation`)
  const routingRows = (where: string, result: RoutingResult): Row[] => [
    { measurement: `${where}: webhook → alert at the agent, p50 (${fmt(result.conversations)} conversations, ${result.agents} agents)`, value: round1(result.alert.p50), unit: 'ms', aim: null, met: null },
    { measurement: `${where}: webhook → alert at the agent, p95`, value: round1(result.alert.p95), unit: 'ms', aim: null, met: null },
    { measurement: `${where}: conversations routed per minute`, value: Math.round(result.perMinute), unit: '/min', aim: null, met: null },
  ]
  const postgres = await startTestPostgres()
  try {
    rows.push(...routingRows('Team, 2 nodes', await measureTeamRouting(postgres.adminUrl, options, progress)))
  } finally {
    await postgres.stop()
  }
  rows.push(...routingRows('Workstation (SQLite)', await measureWorkstationRouting(options, progress)))
}

function round1(n: number) {
  return Math.round(n * 10) / 10
}

const machine = {
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
}
const table = rows.map((r) => [r.measurement, `${fmt(r.value)} ${r.unit}`, r.aim ?? '—', r.met === null ? '' : r.met ? 'met' : 'not met'])
const header = ['Measurement', 'Value', 'Aim', '']
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
console.log(`\nParley bench — ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}`)
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const row of table) console.log(line(row))

const resultsDir = new URL('results/', import.meta.url)
mkdirSync(resultsDir, { recursive: true })
writeFileSync(new URL('latest.json', resultsDir), `${JSON.stringify({ at: new Date().toISOString(), machine, results: rows }, null, 2)}\n`)
console.log('\n(also written to bench/results/latest.json)')
