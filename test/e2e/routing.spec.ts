// ACD routing end to end (R2–R6): three agents in three browsers on two server nodes and a
// supervisor in a fourth. Alerts go to the longest-idle agent, a decline moves on, an unanswered
// alert makes its agent Not responding, capacity holds with more customers than seats, a transfer
// reaches the other queue, and End conversation asks for the wrap-up code.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from '@playwright/test'
import { startSandbox } from '../../src-main/sandbox/index.ts'
import { createDatabaseAt } from '../fixtures/postgres.ts'
import { connectNordlicht, customerWrites, signIn as signInOverSocket, spawnNode, teamEnv, type NodeProcess, type TeamEnv } from '../fixtures/teamServer.ts'
import { expect, test } from './fixtures.ts'
import { connectNordlicht as connectNordlichtInWindow, leaWrites, openConversationWith, signInToServer } from './steps.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** @nordlicht.kaffee in the sandbox's seed business. */
const NORDLICHT = '17841401234567801'
const PASSWORD = 'a-long-enough-password'

function addPerson(team: TeamEnv, username: string, name: string, role: 'supervisor' | 'agent', capacity?: number) {
  const passwordFile = join(mkdtempSync(join(tmpdir(), 'parley-pw-')), 'password')
  writeFileSync(passwordFile, `${PASSWORD}\n`)
  const args = ['src-main/server/team/cli.ts', 'add-user', '--username', username, '--name', name, '--role', role, '--password-file', passwordFile]
  if (capacity) args.push('--capacity', String(capacity))
  const added = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, PARLEY_DATABASE_URL: team.databaseUrl, PARLEY_SERVER_KEY_FILE: team.keyFile }, encoding: 'utf8' })
  if (added.status !== 0) throw new Error(`add-user failed: ${added.stderr}`)
}

async function agentPage(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await signInToServer(page, url, username, PASSWORD)
  return page
}

const alertsOf = (page: Page) => page.getByRole('region', { name: 'New conversations' })
const alertFor = (page: Page, customer: string) => alertsOf(page).getByRole('article', { name: `New conversation: ${customer}` })
const conversationsOf = (page: Page) => page.getByRole('listbox', { name: 'Conversations' }).getByRole('option')
const presenceOf = (page: Page) => page.getByRole('contentinfo').getByLabel('Presence')

test('three agents on two nodes: longest idle first, decline, Not responding, capacity, transfer, wrap-up', async ({ browser }) => {
  test.setTimeout(180_000)
  const sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
  const team = teamEnv(await createDatabaseAt(process.env.PARLEY_TEST_POSTGRES!, 'e2e'), sandbox)
  const nodes: NodeProcess[] = []
  try {
    addPerson(team, 'sam', 'Sam Weber', 'supervisor')
    for (const [username, name] of [['anna', 'Anna Berg'], ['ben', 'Ben Kraus'], ['cara', 'Cara Lindt']] as const) addPerson(team, username, name, 'agent', 1)
    nodes.push(await spawnNode(team), await spawnNode(team))
    const [nodeA, nodeB] = nodes as [NodeProcess, NodeProcess]

    // The supervisor's setup: Nordlicht, Support (everyone, 7 s to accept, wrap-up mandatory), Billing (nobody yet).
    const setup = await signInOverSocket(nodeA.url, 'sam', PASSWORD)
    const integration = await connectNordlicht(nodeA.url, setup)
    const people = await setup.call<{ id: string; username: string }[]>('people.list')
    const idOf = (username: string) => people.find((p) => p.username === username)!.id
    const support = await setup.call<{ id: string }>('queues.create', {
      name: 'Support', memberIds: ['anna', 'ben', 'cara'].map(idOf), alertTimeoutSeconds: 7, wrapUpCodes: ['Resolved', 'Spam'], afterWork: 'mandatory',
    })
    await setup.call('queues.create', { name: 'Billing', memberIds: [], wrapUpCodes: ['Paid'] })
    await setup.call('routing.setRules', { integrationId: integration.id, defaultQueueId: support.id, rules: [] })
    setup.close()

    // Three agents: Anna on node A, Ben and Cara on node B; they go On queue in this order.
    const anna = await agentPage(browser, nodeA.url, 'anna')
    const ben = await agentPage(browser, nodeB.url, 'ben')
    const cara = await agentPage(browser, nodeB.url, 'cara')
    for (const agent of [anna, ben, cara]) {
      await expect(presenceOf(agent)).toHaveValue('offline')
      await presenceOf(agent).selectOption({ label: 'On queue' })
      await expect(presenceOf(agent)).toHaveValue('on_queue')
    }
    const supervisor = await agentPage(browser, nodeA.url, 'sam')

    // Lea writes: the longest-idle agent, Anna, is alerted with the customer, queue and first message.
    await customerWrites(sandbox.url, NORDLICHT, { text: 'Meine Bestellung ist nicht angekommen.' })
    const leaAtAnna = alertFor(anna, 'Lea Hoffmann')
    await expect(leaAtAnna).toContainText('Queue: Support')
    await expect(leaAtAnna).toContainText('Meine Bestellung ist nicht angekommen.')
    await expect(leaAtAnna).toContainText(/\d s left to accept/)
    await expect(alertsOf(ben)).toHaveCount(0)
    await expect(alertsOf(cara)).toHaveCount(0)

    // Anna declines: Ben next. Ben lets it run out: he becomes Not responding and Cara is alerted.
    await leaAtAnna.getByRole('button', { name: 'Decline' }).click()
    await expect(alertsOf(anna)).toHaveCount(0)
    await expect(alertFor(ben, 'Lea Hoffmann')).toBeVisible()
    await expect(alertFor(cara, 'Lea Hoffmann')).toBeVisible({ timeout: 15_000 })
    await expect(alertsOf(ben)).toHaveCount(0)
    await expect(presenceOf(ben)).toHaveValue('not_responding')
    await expect(ben.getByRole('contentinfo')).toContainText('An alert went unanswered.')

    // Cara accepts: the conversation opens for her, its routing told step by step.
    await alertFor(cara, 'Lea Hoffmann').getByRole('button', { name: 'Accept' }).click()
    const caraThread = cara.getByRole('region', { name: 'Messages' })
    await expect(caraThread.getByText('Meine Bestellung ist nicht angekommen.')).toBeVisible()
    for (const line of ['Routed to queue Support', 'Alerted Anna Berg', 'Declined by Anna Berg', 'Alerted Ben Kraus', 'Not responding: Ben Kraus', 'Alerted Cara Lindt', 'Accepted by Cara Lindt']) {
      await expect(caraThread.getByText(line, { exact: true })).toBeVisible()
    }

    // Capacity 1 each, three customers, two seats on queue: Tomás goes to Anna, Aylin waits.
    await customerWrites(sandbox.url, NORDLICHT, { text: 'Ist die Espressomühle wieder da?' }, 'tomas')
    await alertFor(anna, 'Tomás Ribeiro').getByRole('button', { name: 'Accept' }).click()
    await expect(anna.getByRole('region', { name: 'Messages' }).getByText('Ist die Espressomühle wieder da?')).toBeVisible()
    await customerWrites(sandbox.url, NORDLICHT, { text: 'Habt ihr Hafermilch?' }, 'aylin')
    await expect(conversationsOf(supervisor).filter({ hasText: 'Aylin Demir' })).toContainText('Waiting')
    for (const agent of [anna, ben, cara]) await expect(alertsOf(agent)).toHaveCount(0)
    await expect(conversationsOf(anna)).toHaveCount(1)
    await expect(conversationsOf(cara)).toHaveCount(1)

    // The supervisor's Queue activity: one waiting, two interacting, two agents on queue — live.
    await supervisor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click()
    await supervisor.getByRole('group', { name: 'Contact center' }).getByRole('link', { name: 'Queue activity' }).click()
    const supportNow = supervisor.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /Support/ }).getByRole('cell')
    await expect(supportNow.nth(0)).toHaveText('1')
    await expect(supportNow.nth(1)).toHaveText('2')
    await expect(supportNow.nth(3)).toHaveText('2')
    const agentRow = (name: string) => supervisor.getByRole('table', { name: 'Agents' }).getByRole('row', { name: new RegExp(name) })
    await expect(agentRow('Ben Kraus')).toContainText('Not responding')
    await expect(agentRow('Anna Berg')).toContainText('1 / 1')

    // Ben comes back On queue: Aylin is his, and Queue activity follows.
    await presenceOf(ben).selectOption({ label: 'On queue' })
    await alertFor(ben, 'Aylin Demir').getByRole('button', { name: 'Accept' }).click()
    await expect(ben.getByRole('region', { name: 'Messages' }).getByText('Habt ihr Hafermilch?')).toBeVisible()
    await expect(supportNow.nth(0)).toHaveText('0')
    await expect(supportNow.nth(1)).toHaveText('3')
    await expect(supportNow.nth(3)).toHaveText('3')
    await supervisor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()

    // Cara transfers Lea to Billing: it leaves her and waits there, as the supervisor sees.
    await cara.getByRole('button', { name: 'Transfer' }).click()
    const transfer = cara.getByRole('dialog', { name: 'Transfer the conversation' })
    await transfer.getByLabel('Queue', { exact: true }).selectOption({ label: 'Billing' })
    await transfer.getByRole('button', { name: 'Transfer' }).click()
    await expect(conversationsOf(cara)).toHaveCount(0)
    await conversationsOf(supervisor).filter({ hasText: 'Lea Hoffmann' }).click()
    const leaForSupervisor = supervisor.getByRole('region', { name: 'Messages' })
    await expect(leaForSupervisor.getByText('Transferred to queue Billing — by Cara Lindt', { exact: true })).toBeVisible()
    await expect(supervisor.locator('[data-routing-state]')).toHaveText('Waiting in queue Billing')

    // Anna ends Tomás's conversation: the queue asks for a wrap-up code and will not end without one.
    await anna.getByRole('button', { name: 'End conversation' }).click()
    const end = anna.getByRole('dialog', { name: 'End the conversation' })
    await expect(end.getByText('This queue requires a wrap-up code.')).toBeVisible()
    await end.getByLabel('Wrap-up code').selectOption('Resolved')
    await end.getByRole('button', { name: 'End conversation' }).click()
    const annaThread = anna.getByRole('region', { name: 'Messages' })
    await expect(annaThread.getByText('Ended: Resolved', { exact: true })).toBeVisible()
    await expect(anna.locator('[data-routing-state]')).toHaveText('Ended: Resolved')
    await expect(conversationsOf(anna).filter({ hasText: 'Tomás Ribeiro' })).toContainText('Ended')
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await sandbox.close()
  }
})

test('on one workstation its person is the agent: On queue with Auto-answer, every conversation theirs at once', async ({ page, parley }) => {
  await connectNordlichtInWindow(page, parley.url)
  await expect(presenceOf(page)).toHaveValue('on_queue')
  await expect(page.getByRole('contentinfo').getByLabel('Auto-answer')).toBeChecked()

  await leaWrites(page, 'Gibt es noch Bohnen aus Kolumbien?')
  await openConversationWith(page, 'Lea Hoffmann')
  const thread = page.getByRole('region', { name: 'Messages' })
  await expect(thread.getByText('Gibt es noch Bohnen aus Kolumbien?')).toBeVisible()
  await expect(thread.getByText('Accepted by Local user (Auto-answer)', { exact: true })).toBeVisible()
  await expect(alertsOf(page)).toHaveCount(0)
  await expect(page.getByLabel('Reply', { exact: true })).toBeEnabled()
})
