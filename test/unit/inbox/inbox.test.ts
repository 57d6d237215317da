import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxPage, OutboxView, ThreadView } from '../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox } from '../../fixtures/coreOnSandbox.ts'

const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
})
afterEach(() => core.close())

/** Lea writes to Nordlicht in the sandbox, and Parley stores it as its ingest will. */
async function leaWrites(integrationId: string, text: string) {
  const sent = (await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text })) as { mid: string; igsid: string; timestamp: number }
  const { conversation } = await core.store.conversations.upsertForInbound({
    integrationId,
    igAccountId: NORDLICHT_IG,
    customerIgsid: sent.igsid,
    queueId: `default:${integrationId}`,
    assignedAgentId: 'local',
    at: sent.timestamp,
  })
  await core.store.messages.insertIfNew({ mid: sent.mid, conversationId: conversation.id, direction: 'inbound', kind: 'text', text, createdAt: sent.timestamp })
  return { ...sent, conversationId: conversation.id }
}

const sentLog = async () => ((await (await fetch(`${core.sandbox.url}/__sandbox/sent`)).json()) as { data: { messaging_type: string; tag?: string; outcome: string }[] }).data

describe('the inbox through the contract', () => {
  it('lists the conversation with its window and reads the thread', async () => {
    const integration = await core.connectNordlicht()
    const { conversationId } = await leaWrites(integration.id, 'Is the café open on Sunday?')
    const page = await core.call<InboxPage>('inbox.list', { limit: 50 })
    expect(page).toMatchObject({ total: 1, nextCursor: null, items: [{ id: conversationId, integrationName: 'Nordlicht DMs', unreadCount: 1, window: { kind: 'standard' } }] })
    expect(page.items[0]!.lastMessage).toMatchObject({ direction: 'inbound', preview: 'Is the café open on Sunday?' })
    const thread = await core.call<ThreadView>('inbox.thread', { conversationId, limit: 50 })
    expect(thread.composer).toEqual({ enabled: true, messagingType: 'RESPONSE', problem: null })
    expect(thread.messages.map((m) => m.text)).toEqual(['Is the café open on Sunday?'])
    await core.call('inbox.markRead', { conversationId })
    expect((await core.call<InboxPage>('inbox.list', { limit: 50 })).items[0]!.unreadCount).toBe(0)
  })

  it('gives the rows of the conversations an inbox.changed named, and no others', async () => {
    const integration = await core.connectNordlicht()
    const { conversationId } = await leaWrites(integration.id, 'Is the café open on Sunday?')
    const rows = await core.call<{ items: { id: string; lastMessage: { preview: string } }[]; total: number }>('inbox.conversations', { ids: [conversationId, 'no-such-conversation'] })
    expect(rows.total).toBe(1)
    expect(rows.items.map((c) => [c.id, c.lastMessage.preview])).toEqual([[conversationId, 'Is the café open on Sunday?']])
    expect(await core.call('inbox.conversations', { ids: [] }).catch((e: { code: string }) => e.code)).toBe('invalid_input')
  })

  it('sends a standard reply within 24 h, a HUMAN_AGENT one after, and refuses after 7 days — following the sandbox clock', async () => {
    const integration = await core.connectNordlicht()
    const { conversationId } = await leaWrites(integration.id, 'Hello?')
    const reply = (text: string) => core.call<OutboxView>('inbox.send', { id: crypto.randomUUID(), conversationId, text })

    expect(await reply('Yes, 9 to 5!')).toMatchObject({ state: 'sent' })
    await core.call('sandbox.clock', { advance: '24h1m' })
    expect((await core.call<ThreadView>('inbox.thread', { conversationId, limit: 5 })).composer.messagingType).toBe('MESSAGE_TAG')
    expect(await reply('Sorry for the wait.')).toMatchObject({ state: 'sent' })
    await core.call('sandbox.clock', { advance: '6d' })
    await expect(reply('Too late')).rejects.toMatchObject({ code: 'window_closed' })
    expect((await core.call<ThreadView>('inbox.thread', { conversationId, limit: 5 })).composer).toMatchObject({ enabled: false, problem: { code: 'window_closed' } })

    expect((await sentLog()).map((s) => [s.messaging_type, s.tag ?? null, s.outcome])).toEqual([
      ['RESPONSE', null, 'accepted'],
      ['MESSAGE_TAG', 'HUMAN_AGENT', 'accepted'],
    ])
  })

  it('refuses a text over 1000 bytes before sending, and never sends the same reply id twice', async () => {
    const integration = await core.connectNordlicht()
    const { conversationId } = await leaWrites(integration.id, 'Hi')
    await expect(core.call('inbox.send', { id: crypto.randomUUID(), conversationId, text: 'ü'.repeat(501) })).rejects.toMatchObject({ code: 'text_too_long' })
    const id = crypto.randomUUID()
    await core.call('inbox.send', { id, conversationId, text: 'Once' })
    await core.call('inbox.send', { id, conversationId, text: 'Once' })
    expect((await sentLog()).filter((s) => s.outcome === 'accepted')).toHaveLength(1)
  })
})

describe('the Sandbox view', () => {
  it('lists the demo accounts and customers, acts as a customer and moves the clock', async () => {
    const state = await core.call<{ accounts: { username: string }[]; customers: { username: string; private: boolean }[] }>('sandbox.state')
    expect(state.accounts.map((a) => a.username)).toEqual(expect.arrayContaining(['nordlicht.kaffee', 'hafenblick.hotel']))
    expect(state.customers.some((c) => c.private)).toBe(true)
    expect(await core.call('sandbox.act', { action: 'text', to: NORDLICHT_IG, from: 'lea', text: 'Hi' })).toEqual({ delivered: true, note: null })
    expect(await core.call('sandbox.act', { action: 'story_mention', to: NORDLICHT_IG, from: 'jana' })).toMatchObject({ delivered: false, note: expect.stringContaining('private') })
    const before = core.parley.meta.now()
    await core.call('sandbox.clock', { advance: '2d' })
    await core.parley.meta.syncClock()
    expect(core.parley.meta.now() - before).toBeGreaterThan(2 * 86_400_000 - 5_000)
  })
})
