// Accessibility, proven: axe-core on every screen, in English and German, light and dark — no
// serious or critical violation (contrast included). On a workstation and on a team server.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { startSandbox } from '../../src-main/sandbox/index.ts'
import { createDatabaseAt } from '../fixtures/postgres.ts'
import { spawnNode, teamEnv, type NodeProcess } from '../fixtures/teamServer.ts'
import { expect, test } from './fixtures.ts'
import { connectNordlicht, leaWrites, openConversationWith, signInToServer } from './steps.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const LOOKS = [
  { language: 'English', theme: 'Light' },
  { language: 'English', theme: 'Dark' },
  { language: 'Deutsch', theme: 'Hell' },
  { language: 'Deutsch', theme: 'Dunkel' },
] as const

interface Screen {
  name: string
  hash: string
  /** What shows the screen is ready, in either language. */
  ready: (page: Page) => ReturnType<Page['locator']>
}

/** Sets language and theme through the header, as a person does (the choice is kept). */
async function look(page: Page, { language, theme }: (typeof LOOKS)[number]) {
  await page.locator('.preferences select').first().selectOption({ label: language })
  await page.locator('.preferences select').nth(1).selectOption({ label: theme })
  await expect(page.locator('html')).toHaveAttribute('lang', language === 'Deutsch' ? 'de' : 'en')
}

async function violationsOn(page: Page, screens: Screen[]): Promise<string[]> {
  const found: string[] = []
  for (const current of LOOKS) {
    await look(page, current)
    for (const screen of screens) {
      // As text: this file is type-checked for Node, where the window's globals do not exist.
      await page.evaluate(`window.location.hash = ${JSON.stringify(screen.hash)}`)
      await expect(screen.ready(page).first()).toBeVisible()
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        found.push(`${screen.name} (${current.language}, ${current.theme}): ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)
      }
    }
  }
  return found
}

test('every screen of a workstation, in English and German, light and dark: no serious or critical violation', async ({ page, parley }) => {
  test.setTimeout(180_000)
  await connectNordlicht(page, parley.url)
  const integration = new URL(page.url()).hash
  await leaWrites(page, 'Habt ihr am Sonntag geöffnet?')
  await openConversationWith(page, 'Lea Hoffmann')
  const thread = new URL(page.url()).hash

  const found = await violationsOn(page, [
    { name: 'Inbox with a thread open', hash: thread, ready: (p) => p.getByRole('region', { name: /Messages|Nachrichten/ }).getByText('Habt ihr am Sonntag geöffnet?') },
    { name: 'Sandbox', hash: '#/sandbox', ready: (p) => p.getByRole('heading', { name: 'Sandbox', exact: true }) },
    { name: 'Platforms and Meta app', hash: '#/admin/message/platforms', ready: (p) => p.getByRole('heading', { name: /^(Platforms|Plattformen)$/ }) },
    { name: 'New integration', hash: '#/admin/message/platforms/new', ready: (p) => p.getByRole('button', { name: 'Instagram Direct' }) },
    { name: 'Integration detail', hash: integration, ready: (p) => p.getByRole('button', { name: /^(Delete|Löschen)$/ }) },
    { name: 'Supported content', hash: '#/admin/message/supported-content', ready: (p) => p.getByRole('heading', { name: /^(Supported content|Unterstützte Inhalte)$/ }) },
    { name: 'Message routing', hash: '#/admin/message/routing', ready: (p) => p.getByRole('button', { name: /^(Add rule|Regel hinzufügen)$/ }) },
    { name: 'Queues', hash: '#/admin/contact-center/queues', ready: (p) => p.getByRole('table', { name: /^(Queues|Warteschlangen)$/ }) },
    { name: 'Queue activity', hash: '#/admin/contact-center/activity', ready: (p) => p.getByRole('table', { name: /^(Agents|Agenten)$/ }) },
    { name: 'Diagnostics', hash: '#/admin/troubleshooting/diagnostics', ready: (p) => p.getByRole('heading', { name: /^(Diagnostics|Diagnose)$/ }) },
  ])
  expect(found).toEqual([])

  // The check can fail: text too faint to read is found. (Styled through the CSSOM: the window's
  // Content-Security-Policy refuses style attributes.)
  await page.evaluate(`(() => {
    const faint = document.createElement('p')
    faint.textContent = 'Faint text nobody can read'
    faint.style.color = '#dddddd'
    faint.style.background = '#ffffff'
    document.querySelector('main').prepend(faint)
  })()`)
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2aa']).analyze()
  expect(violations.map((v) => v.id)).toContain('color-contrast')
})

test('every screen of a team server, in English and German, light and dark: no serious or critical violation', async ({ browser }) => {
  test.setTimeout(180_000)
  const sandbox = await startSandbox({ port: 0 })
  const team = teamEnv(await createDatabaseAt(process.env.PARLEY_TEST_POSTGRES!, 'e2e'), sandbox)
  const nodes: NodeProcess[] = []
  try {
    const passwordFile = join(mkdtempSync(join(tmpdir(), 'parley-pw-')), 'password')
    writeFileSync(passwordFile, 'a-long-enough-password\n')
    const env = { ...process.env, PARLEY_DATABASE_URL: team.databaseUrl, PARLEY_SERVER_KEY_FILE: team.keyFile }
    spawnSync(process.execPath, ['src-main/server/team/cli.ts', 'add-user', '--username', 'sara', '--name', 'Sara Vogel', '--role', 'supervisor', '--password-file', passwordFile], { cwd: ROOT, env })
    nodes.push(await spawnNode(team))
    const page = await (await browser.newContext()).newPage()
    await signInToServer(page, nodes[0]!.url, 'sara', 'a-long-enough-password')

    const found = await violationsOn(page, [
      { name: 'Inbox', hash: '#/inbox', ready: (p) => p.getByRole('heading', { name: /^(Inbox|Posteingang)$/ }) },
      { name: 'People', hash: '#/admin/team/people', ready: (p) => p.getByRole('table', { name: /^(People|Personen)$/ }) },
      { name: 'Queues', hash: '#/admin/contact-center/queues', ready: (p) => p.getByRole('heading', { name: /^(Queues|Warteschlangen)$/ }) },
      { name: 'Queue activity', hash: '#/admin/contact-center/activity', ready: (p) => p.getByRole('heading', { name: /^(Queue activity|Warteschlangenaktivität)$/ }) },
      { name: 'API keys', hash: '#/admin/team/api-keys', ready: (p) => p.getByRole('heading', { name: /^(API keys|API-Schlüssel)$/ }) },
      { name: 'Event subscriptions', hash: '#/admin/team/event-subscriptions', ready: (p) => p.getByRole('heading', { name: /^(Event subscriptions|Ereignis-Abonnements)$/ }) },
      { name: 'Diagnostics', hash: '#/admin/troubleshooting/diagnostics', ready: (p) => p.getByRole('heading', { name: /^(Diagnostics|Diagnose)$/ }) },
    ])
    expect(found).toEqual([])
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await sandbox.close()
  }
})
