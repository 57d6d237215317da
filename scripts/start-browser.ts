// npm run start:browser [-- --port N]: build what is stale, then serve Parley to a browser.
import { ensureBuilt } from './build.ts'

ensureBuilt()
await import('../src-main/server/cli.ts')
