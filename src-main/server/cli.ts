import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { openNodeParley } from './nodeParley.ts'
import { startBrowserHost } from './browserHost.ts'

// `npm run start:browser [-- --port N]`: prints exactly one line, the address to open.
const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } })
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${values.port}".`)
  process.exit(2)
}

const parley = await openNodeParley().catch((error: Error) => {
  console.error(`Parley could not start: ${error.message}`)
  process.exit(1)
})
const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const host = await startBrowserHost({ parley, rendererDir, port }).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with --port, or 0 for a free one.` : error.message,
  )
  process.exit(1)
})
console.log(`Parley is running at ${host.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void host.close().then(() => process.exit(0)))
}
