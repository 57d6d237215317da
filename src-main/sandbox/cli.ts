// npm run sandbox [-- --port N]: the sandbox on its own, printing where it is and the app credentials.
import { parseArgs } from 'node:util'
import { startSandbox } from './index.ts'

const { values } = parseArgs({ options: { port: { type: 'string' }, seed: { type: 'string' } } })
const port = values.port === undefined ? 0 : Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`)
  process.exit(2)
}

const sandbox = await startSandbox({ port, seedPath: values.seed })
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await sandbox.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())

// Printed last, once the signal handlers are in place: whoever reads these lines may stop us at once.
console.log(`PARLEY_SANDBOX_URL=${sandbox.url}`)
console.log(`PARLEY_SANDBOX_APP_ID=${sandbox.appId}`)
console.log(`PARLEY_SANDBOX_APP_SECRET=${sandbox.appSecret}`)
