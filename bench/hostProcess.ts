// The browser host exactly as `npm run start:browser` runs it (src-main/server/cli.ts), plus one
// thing for the benchmark: a line "memory" on stdin is answered on stdout with this process's
// memory use, so the main-process RSS is read from inside, heap included.
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startBrowserHost } from '../src-main/server/browserHost.ts'
import { openNodeParley } from '../src-main/server/nodeParley.ts'

const parley = await openNodeParley()
const rendererDir = fileURLToPath(new URL('../out/renderer', import.meta.url))
const host = await startBrowserHost({ parley, rendererDir, port: 0 })
console.log(`Parley is running at ${host.url}`)

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'memory') console.log(JSON.stringify({ memory: process.memoryUsage() }))
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void host.close().then(() => process.exit(0)))
}
