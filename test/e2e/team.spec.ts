// A team on the Parley server, end to end in Chromium: two nodes on one PostgreSQL database, a
// supervisor and an agent in two browsers, each signed in through a different node.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSandbox } from '../../src-main/sandbox/index.ts'
import { createDatabaseAt } from '../fixtures/postgres.ts'
import { customerWrites, spawnNode, teamEnv, type NodeProcess } from '../fixtures/teamServer.ts'
import { expect, test } from './fixtures.ts'
import { connectNordlicht, signInToServer } from './steps.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** @nordlicht.kaffee in the sandbox's seed business. */
const NORDLICHT = '17841401234567801'

test('a supervisor and an agent work one conversation through two nodes, and it is sent once', async ({ browser }) => {
  test.setTimeout(120_000)
  const sandbox = await startSandbox({ port: 0, webhookRetry: { baseMs: 50, maxAttempts: 3 } })
  const team = teamEnv(await createDatabaseAt(process.env.PARLEY_TEST_POSTGRES!, 'e2e'), sandbox)
  const nodes: NodeProcess[] = []
  try {
    // The first supervisor, made in a terminal as the README says.
    const passwordFile = join(mkdtempSync(join(tmpdir(), 'parley-pw-')), 'password')
    writeFileSync(passwordFile, 'anna-has-a-long-password\n')
    const added = spawnSync(process.execPath, ['src-main/server/team/cli.ts', 'add-user', '--username', 'anna', '--name', 'Anna Berg', '--role', 'supervisor', '--password-file', passwordFile], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_DATABASE_URL: team.databaseUrl, PARLEY_SERVER_KEY_FILE: team.keyFile },
      encoding: 'utf8',
    })
    expect(added.stdout.trim()).toBe('Added supervisor Anna Berg (anna).')
    nodes.push(await spawnNode(team), await spawnNode(team))
    const [nodeA, nodeB] = nodes as [NodeProcess, NodeProcess]

    const supervisorContext = await browser.newContext()
    const agentContext = await browser.newContext()
    const supervisor = await supervisorContext.newPage()
    const agent = await agentContext.newPage()

    // The supervisor signs in on node A; a wrong password gets the one message first.
    await supervisor.goto(nodeA.url)
    await supervisor.getByLabel('Username').fill('anna')
    await supervisor.getByLabel('Password').fill('not-the-password')
    await supervisor.getByRole('button', { name: 'Sign in' }).click()
    await expect(supervisor.getByRole('alert')).toHaveText('The username or password is not right.')
    await signInToServer(supervisor, nodeA.url, 'anna', 'anna-has-a-long-password')
    await expect(supervisor.getByRole('contentinfo').getByText('Team server')).toBeVisible()

    // Admin → People → Add person: an agent.
    await supervisor.getByRole('link', { name: 'Admin' }).click()
    await supervisor.getByRole('group', { name: 'Team' }).getByRole('link', { name: 'People' }).click()
    await supervisor.getByRole('button', { name: 'Add person' }).click()
    await supervisor.getByLabel('Name', { exact: true }).fill('Ben Kraus')
    await supervisor.getByLabel('Username').fill('ben')
    await supervisor.getByLabel('Role').selectOption('agent')
    await supervisor.getByLabel('Password', { exact: true }).fill('ben-has-a-long-password')
    await supervisor.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(supervisor.getByRole('status').filter({ hasText: 'Ben Kraus was added.' })).toBeVisible()
    await expect(supervisor.getByRole('row', { name: /Ben Kraus/ })).toContainText('Agent')

    // The agent signs in through node B.
    await signInToServer(agent, nodeB.url, 'ben', 'ben-has-a-long-password')
    await expect(agent.getByRole('link', { name: 'Admin' })).toHaveCount(0)

    // The supervisor connects Nordlicht (the login popup comes back to node A).
    await connectNordlicht(supervisor)

    // Lea writes to @nordlicht.kaffee; the new conversation waits unassigned, seen by the supervisor only.
    await customerWrites(sandbox.url, NORDLICHT, { text: 'Habt ihr heute Hafermilch?' })
    await supervisor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
    const row = supervisor.getByRole('option', { name: /Lea Hoffmann/ })
    await expect(row).toContainText('Unassigned')
    await expect(agent.getByRole('option', { name: /Lea Hoffmann/ })).toHaveCount(0)

    // Assign to… Ben: the agent, on the other node, sees it arrive live.
    await row.click()
    await supervisor.getByLabel('Assign to…').selectOption({ label: 'Ben Kraus (Agent)' })
    await supervisor.getByRole('button', { name: 'Assign', exact: true }).click()
    await expect(supervisor.getByRole('status').filter({ hasText: 'Assigned to Ben Kraus.' })).toBeVisible()
    const agentRow = agent.getByRole('option', { name: /Lea Hoffmann/ })
    await expect(agentRow).toBeVisible()

    // The agent answers; Meta receives it once.
    await agentRow.click()
    const agentThread = agent.getByRole('region', { name: 'Messages' })
    await expect(agentThread.getByText('Habt ihr heute Hafermilch?')).toBeVisible()
    await agent.getByLabel('Reply', { exact: true }).fill('Ja, frisch eingetroffen!')
    await agent.getByRole('button', { name: 'Send', exact: true }).click()
    await expect(agentThread.getByText('Ja, frisch eingetroffen!')).toBeVisible()
    await expect(supervisor.getByRole('region', { name: 'Messages' }).getByText('Ja, frisch eingetroffen!')).toBeVisible()
    const sent = (await (await fetch(`${sandbox.url}/__sandbox/sent`)).json()) as { data: { message?: { text?: string }; outcome: string }[] }
    expect(sent.data.filter((s) => s.message?.text === 'Ja, frisch eingetroffen!' && s.outcome === 'accepted')).toHaveLength(1)

    // Sign out: back to Sign in, saying so.
    await agent.getByRole('button', { name: 'Account menu of Ben Kraus' }).click()
    await agent.getByRole('menuitem', { name: 'Sign out' }).click()
    await expect(agent.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible()
    await expect(agent.getByText('You signed out.')).toBeVisible()

    await supervisorContext.close()
    await agentContext.close()
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await sandbox.close()
  }
})
