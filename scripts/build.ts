import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const inputs = ['src-main/core', 'src-main/electron', 'src-renderer', 'electron.vite.config.ts', 'package.json']

function newestChange(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

/** Builds the desktop bundles and the window unless they are newer than every source. */
export function ensureBuilt(): void {
  const at = (path: string) => join(root, path)
  const builtAt = outputs.every((path) => existsSync(at(path))) ? Math.min(...outputs.map((path) => statSync(at(path)).mtimeMs)) : 0
  if (builtAt > Math.max(...inputs.map((path) => newestChange(at(path))))) return
  // Build output goes to stderr: stdout is kept for the line other tools read.
  const result = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  })
  if (result.status !== 0) {
    console.error('Building Parley failed; the messages above say why.')
    process.exit(result.status ?? 1)
  }
}
