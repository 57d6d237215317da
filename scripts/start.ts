// npm start: build what is stale, then launch the desktop app — or, where the Electron binary
// cannot be obtained (an offline machine), say so and serve the same app to a browser instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureBuilt } from './build.ts'

ensureBuilt()

// Requiring 'electron' from Node yields the binary's path, downloading it on first use.
const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { encoding: 'utf8' })
const electronBinary = probe.status === 0 ? probe.stdout.trim() : ''

if (electronBinary && existsSync(electronBinary)) {
  const desktop = spawn(electronBinary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
  desktop.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => desktop.kill(signal))
} else {
  console.error('The Electron desktop shell could not be downloaded on this machine, so Parley is starting in your browser instead.')
  await import('../src-main/server/cli.ts')
}
