// npm test: static checks, unit + component tests (vitest) and end-to-end tests (Playwright in
// Debian's Chromium), closing with one line "N passed, N failed" summed over every suite.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt } from './build.ts'

const root = new URL('..', import.meta.url).pathname
const bin = (name: string) => join(root, 'node_modules/.bin', name)
const reports = mkdtempSync(join(tmpdir(), 'parley-test-'))

interface Counts {
  passed: number
  failed: number
  skipped: number
}
const results: [string, Counts][] = []

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
}

function check(name: string, command: string, args: string[]) {
  console.log(`\n— ${name}`)
  const ok = run(command, args) === 0
  results.push([name, { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 }])
}

/** A runner that crashed before writing its report counts as one failure, never as a pass. */
function readReport<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null
}

/** A runner that failed without failing a test (an unhandled error between tests) still fails the run. */
function withExit(counts: Counts, status: number): Counts {
  return status !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts
}

check('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json'])
check('typecheck (window)', bin('vue-tsc'), ['-p', 'tsconfig.web.json'])
check('typecheck (component tests)', bin('vue-tsc'), ['-p', 'tsconfig.component.json'])
check('lint', bin('eslint'), ['.'])

console.log('\n— unit and component tests')
const vitestReport = join(reports, 'vitest.json')
const vitestStatus = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`])
const vitest = readReport<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(vitestReport)
results.push([
  'unit + component',
  withExit(
    vitest
      ? { passed: vitest.numPassedTests, failed: vitest.numFailedTests, skipped: vitest.numPendingTests + vitest.numTodoTests }
      : { passed: 0, failed: 1, skipped: 0 },
    vitestStatus,
  ),
])

console.log('\n— end-to-end tests')
ensureBuilt()
const playwrightReport = join(reports, 'playwright.json')
const playwrightStatus = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport })
const playwright = readReport<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(playwrightReport)
results.push([
  'end to end',
  withExit(
    playwright
      ? { passed: playwright.stats.expected, failed: playwright.stats.unexpected + playwright.stats.flaky, skipped: playwright.stats.skipped }
      : { passed: 0, failed: 1, skipped: 0 },
    playwrightStatus,
  ),
])

const total = results.reduce((sum, [, c]) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
})
console.log('')
for (const [name, c] of results) console.log(`  ${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`)
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`)
process.exit(total.failed > 0 ? 1 : 0)
