// `npm run server [-- --port N]` starts a node of the Parley server and prints exactly one line,
// `Parley server is running at URL`. `add-user` and `rotate-key` work on the same database.
// Every failure is one plain line on stderr and exit code 1 — never a stack trace.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createStderrLogger } from '../../core/app/logger.ts'
import { ParleyError } from '../../core/contract/errors.ts'
import { rotateServerKey } from '../../core/secrets/sealedSecretStore.ts'
import { ServerKeyError } from '../../core/secrets/serverKey.ts'
import { openPostgresStore } from '../../core/store/index.ts'
import { addUser, readPassword } from './addUser.ts'
import { ConfigError, readTeamConfig } from './teamConfig.ts'
import { startTeamServer } from './teamServer.ts'

const USAGE = 'Usage: npm run server [-- --port N] | npm run server -- add-user --username U --name "N" --role supervisor|agent [--capacity N] [--password-file F] | npm run server -- rotate-key'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    capacity: { type: 'string' },
    'password-file': { type: 'string' },
    help: { type: 'boolean' },
  },
})
const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined)

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** Plain words for what went wrong, whatever threw it. */
function explain(error: unknown): string {
  if (error instanceof ConfigError || error instanceof ServerKeyError) return error.message
  if (error instanceof ParleyError) return error.message
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'EADDRINUSE') return `Port ${text('port') ?? ''} is already in use: choose another with --port, or 0 for a free one.`
  if (code === 'EACCES') return `Parley may not listen on port ${text('port') ?? ''} here: choose a port above 1023.`
  return `Parley server could not start: ${error instanceof Error ? error.message : String(error)}`
}

const [command] = positionals
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (command !== undefined && command !== 'add-user' && command !== 'rotate-key') fail(`Unknown command "${command}". ${USAGE}`)

const log = createStderrLogger()
try {
  const config = readTeamConfig(process.env, { port: text('port'), host: text('host') })
  if (command === 'add-user') {
    const args = { username: text('username'), name: text('name'), role: text('role'), capacity: text('capacity'), passwordFile: text('password-file') }
    const password = await readPassword(args)
    const store = await openPostgresStore(config.databaseUrl, { log })
    try {
      console.log(await addUser(store, args, password))
    } finally {
      await store.close()
    }
    process.exit(0)
  }
  if (command === 'rotate-key') {
    const store = await openPostgresStore(config.databaseUrl, { log })
    try {
      const { resealed } = await rotateServerKey(store.sealedSecrets, config.keyFile)
      console.log(`Made a new server key and sealed ${resealed} secret${resealed === 1 ? '' : 's'} with it. Copy ${config.keyFile} to every node, then restart them.`)
    } finally {
      await store.close()
    }
    process.exit(0)
  }
  if (!config.tls) log.info('no PARLEY_TLS_CERT / PARLEY_TLS_KEY: serving plain HTTP on 127.0.0.1 only, for a TLS proxy in front of it')
  const server = await startTeamServer({ config, env: process.env, log, rendererDir: fileURLToPath(new URL('../../../out/renderer', import.meta.url)) })
  console.log(`Parley server is running at ${server.publicUrl}`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close().then(() => process.exit(0)))
} catch (error) {
  fail(explain(error))
}
