// npm run server: build the window if it is stale, then start a node of the Parley server.
// Its subcommands (add-user, rotate-key) need no window, so they start at once.
import { ensureBuilt } from './build.ts'

const args = process.argv.slice(2)
if (!args.includes('add-user') && !args.includes('rotate-key') && !args.includes('--help')) ensureBuilt()
await import('../src-main/server/team/cli.ts')
