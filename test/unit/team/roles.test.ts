// P5: the server decides who may do what. Every command is called as an agent: each
// supervisor-only one is refused in main, whatever a window shows; an agent sees and answers only
// the conversations assigned to them.
import { describe, expect, it } from 'vitest'
import { commands, type CommandName } from '../../../src-main/core/contract/index.ts'
import { customerWrites, signIn } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

/** Commands only a supervisor may run on a team server. */
const SUPERVISOR_ONLY: CommandName[] = [
  'people.list', 'people.add', 'people.update', 'people.resetPassword', 'people.deactivate', 'people.reactivate',
  'metaApp.get', 'metaApp.set', 'metaApp.clear', 'metaApp.webhook', 'metaApp.setWebhook',
  'login.start', 'login.end', 'login.complete',
  'integrations.list', 'integrations.checkHealth', 'integrations.create', 'integrations.update', 'integrations.delete', 'integrations.recreate',
  'contentProfiles.list', 'contentProfiles.save', 'contentProfiles.delete',
  'inbox.assign', 'sandbox.act', 'sandbox.clock',
  'routing.activity', 'routing.rules', 'routing.setRules', 'routing.settings', 'routing.setSettings',
  'queues.list', 'queues.create', 'queues.update', 'queues.delete',
  'apiKeys.list', 'apiKeys.create', 'apiKeys.revoke',
  'subscriptions.list', 'subscriptions.create', 'subscriptions.setEnabled', 'subscriptions.delete', 'subscriptions.deliveries',
  'diagnostics.run', 'diagnostics.log', 'diagnostics.settings', 'diagnostics.setSettings', 'diagnostics.exportBundle', 'diagnostics.openBundle', 'diagnostics.replay',
]

/** A valid input for every command, so that what refuses it is the rule, not the input. */
const INPUTS: Record<CommandName, unknown> = {
  'app.info': undefined, 'app.clock': undefined, 'settings.get': undefined, 'settings.set': { theme: 'dark' }, 'session.get': undefined, 'session.signOut': undefined,
  'connection.get': undefined, 'connection.signIn': { serverUrl: 'https://parley.example.com', username: 'x', password: 'y' }, 'connection.useThisComputer': undefined,
  'people.list': undefined, 'people.add': { username: 'eve', name: 'Eve', role: 'supervisor', password: 'a-long-password' },
  'people.update': { id: 'someone', role: 'supervisor' }, 'people.resetPassword': { id: 'someone', password: 'a-long-password' },
  'people.deactivate': { id: 'someone' }, 'people.reactivate': { id: 'someone' },
  'metaApp.get': undefined, 'metaApp.set': { appId: '1234567890', appSecret: '0123456789abcdef0123456789abcdef' }, 'metaApp.clear': undefined,
  'metaApp.webhook': undefined, 'metaApp.setWebhook': { publicUrl: '', port: 47600 },
  'login.start': { purpose: 'create' }, 'login.end': { loginId: 'l' }, 'login.complete': { loginId: 'l', url: null },
  'integrations.list': undefined, 'integrations.checkHealth': undefined, 'integrations.create': { loginId: 'l', pageId: 'p', name: 'N' },
  'integrations.update': { id: 'i', name: 'N' }, 'integrations.delete': { id: 'i' }, 'integrations.recreate': { id: 'i', loginId: 'l' },
  'contentProfiles.list': undefined, 'contentProfiles.save': { name: 'P', inbound: [], outbound: [], maxBytes: 1000 }, 'contentProfiles.delete': { id: 'p' },
  'inbox.list': { limit: 10 }, 'inbox.conversations': { ids: ['c'] }, 'inbox.thread': { conversationId: 'c', limit: 10 }, 'inbox.markRead': { conversationId: 'c' },
  'inbox.assign': { conversationId: 'c', personId: null }, 'inbox.send': { id: '6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b', conversationId: 'c', text: 'hi' }, 'inbox.retry': { id: 'r' },
  'inbox.discard': { id: 'r' }, 'inbox.pickAttachment': { conversationId: 'c' }, 'inbox.discardAttachment': { id: 'a' }, 'inbox.openStory': { mid: 'm' },
  'notifications.show': { conversationId: 'c', title: 'T', body: null },
  'sandbox.state': undefined, 'sandbox.act': { action: 'react', mid: 'm', reaction: 'love' }, 'sandbox.clock': { advance: '1m' },
  'diagnostics.run': undefined, 'diagnostics.log': {}, 'diagnostics.settings': undefined, 'diagnostics.setSettings': { includeMessageText: true },
  'diagnostics.exportBundle': undefined, 'diagnostics.openBundle': { name: 'b.json', text: '{}' }, 'diagnostics.replay': { logTimes: [] },
  'inbox.transfer': { conversationId: 'c', to: { queueId: 'q' } }, 'inbox.end': { conversationId: 'c', wrapUpCode: null },
  'presence.get': undefined, 'presence.set': { presence: 'on_queue' }, 'presence.setAutoAnswer': { on: true },
  'routing.alerts': undefined, 'routing.accept': { conversationId: 'c' }, 'routing.decline': { conversationId: 'c' }, 'routing.transferTargets': undefined,
  'routing.activity': undefined, 'routing.rules': { integrationId: 'i' }, 'routing.setRules': { integrationId: 'i', defaultQueueId: 'q', rules: [] },
  'routing.settings': undefined, 'routing.setSettings': { threadingWindowHours: 72 },
  'queues.list': undefined, 'queues.create': { name: 'Support' }, 'queues.update': { id: 'q', name: 'Support' }, 'queues.delete': { id: 'q' },
  'apiKeys.list': undefined, 'apiKeys.create': { name: 'CRM', scopes: ['read'] }, 'apiKeys.revoke': { id: 'k' },
  'subscriptions.list': undefined, 'subscriptions.create': { url: 'https://crm.example.com/parley', types: ['conversation.ended'] },
  'subscriptions.setEnabled': { id: 's', enabled: false }, 'subscriptions.delete': { id: 's' }, 'subscriptions.deliveries': { id: 's' },
}

describe('roles on the server (P5)', () => {
  it('refuses every supervisor-only command to an agent, and only those', async () => {
    const team = await startTeam()
    await team.addPerson('ben', 'Ben Kraus', 'agent')
    const node = await team.node()
    const agent = await signIn(node.url, 'ben', PASSWORD)
    onCleanup(async () => agent.close())
    const refused: string[] = []
    for (const name of Object.keys(commands) as CommandName[]) {
      if (name === 'session.signOut') continue // It ends this very session: tried last.
      const reply = await agent.reply(name, INPUTS[name])
      if (!reply.ok && reply.error.code === 'invalid_input') throw new Error(`${name}: the test's input is not valid`)
      if (!reply.ok && reply.error.code === 'forbidden') refused.push(name)
    }
    expect(refused.sort()).toEqual([...SUPERVISOR_ONLY].sort())
    // An agent also asks for other people's conversations in vain.
    expect(await agent.reply('inbox.list', { limit: 10, view: 'all' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await agent.reply('session.signOut')).toEqual({ ok: true, value: { ok: true } })
  }, 60_000)

  it('shows an agent only what is assigned to them, live, and refuses the rest in main', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const benId = await team.addPerson('ben', 'Ben Kraus', 'agent')
    await team.addPerson('cem', 'Cem Yilmaz', 'agent')
    const node = await team.node()
    const supervisor = await signIn(node.url, 'anna', PASSWORD)
    const ben = await signIn(node.url, 'ben', PASSWORD)
    const cem = await signIn(node.url, 'cem', PASSWORD)
    onCleanup(async () => [supervisor, ben, cem].forEach((w) => w.close()))
    const nordlicht = await connectNordlicht(node.url, supervisor)
    expect(nordlicht.name).toBe('Nordlicht DMs')

    const arrived = supervisor.next((e) => e.name === 'inbox.changed' && (e.payload as { newInbound: boolean }).newInbound)
    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { text: 'Habt ihr Hafermilch?' })
    const { conversationIds: [conversationId] } = (await arrived).payload as { conversationIds: string[] }

    // A new conversation waits unassigned in its integration's default queue, seen by supervisors only.
    expect(await supervisor.call('inbox.list', { limit: 10, view: 'unassigned' })).toMatchObject({ total: 1, items: [{ id: conversationId, assignedTo: null, lastMessage: { preview: 'Habt ihr Hafermilch?' } }] })
    expect(await ben.call('inbox.list', { limit: 10 })).toMatchObject({ total: 0, items: [] })
    expect(ben.events.some((e) => e.name === 'inbox.changed')).toBe(false)
    expect(await ben.reply('inbox.thread', { conversationId, limit: 10 })).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const toBen = ben.next((e) => e.name === 'inbox.changed')
    expect(await supervisor.call('inbox.assign', { conversationId, personId: benId })).toMatchObject({ id: conversationId, assignedTo: { id: benId, name: 'Ben Kraus' } })
    await toBen
    expect(await ben.call('inbox.list', { limit: 10 })).toMatchObject({ total: 1, items: [{ id: conversationId }] })
    expect(await ben.call('inbox.thread', { conversationId, limit: 10 })).toMatchObject({ messages: [{ text: 'Habt ihr Hafermilch?' }], composer: { enabled: true } })
    expect(await cem.reply('inbox.send', { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', conversationId, text: 'Nicht meins' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await ben.call('inbox.send', { id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', conversationId, text: 'Ja, haben wir!' })).toMatchObject({ state: 'sent' })
    const sent = (await (await fetch(`${team.sandbox.url}/__sandbox/sent`)).json()) as { sent?: unknown[] } | unknown[]
    expect(JSON.stringify(sent)).toContain('Ja, haben wir!')
    expect(JSON.stringify(sent)).not.toContain('Nicht meins')
  }, 60_000)
})
