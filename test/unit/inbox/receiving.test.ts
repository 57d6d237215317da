import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxPage, ThreadView } from '../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox, until } from '../../fixtures/coreOnSandbox.ts'

const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
})
afterEach(() => core.close())

const inbox = () => core.call<InboxPage>('inbox.list', { limit: 50 })

describe('receiving by webhook (A2, A5–A8)', () => {
  it('stores what a customer writes once, with their name, and shows it live', async () => {
    await core.connectNordlicht()
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Is the café open on Sunday?' })
    const page = await until(inbox, (p) => p.items[0]?.customer.name === 'Lea Hoffmann')
    expect(page.items[0]).toMatchObject({ customer: { name: 'Lea Hoffmann', username: 'lea.hoffmann' }, unreadCount: 1, lastMessage: { preview: 'Is the café open on Sunday?' } })
    expect(core.events.some((e) => e.name === 'inbox.changed' && e.payload.newInbound)).toBe(true)
  })

  it('erases an unsent message, shows echoes once, keeps reactions and story mentions without media', async () => {
    await core.connectNordlicht()
    const { mid } = (await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'secret-words-to-withdraw' })) as { mid: string }
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', story_mention: true })
    await core.control('business-send', { from: 'nordlicht.kaffee', to: 'lea', text: 'Sent from the Instagram app' })
    const conversationId = (await until(inbox, (p) => p.items.length === 1)).items[0]!.id
    const thread = () => core.call<ThreadView>('inbox.thread', { conversationId, limit: 50 })
    await until(thread, (t) => t.messages.length === 3)
    await core.control('react', { mid, reaction: 'love' })
    await core.control('unsend', { mid })
    const final = await until(thread, (t) => t.messages.some((m) => m.withdrawn) && t.messages.some((m) => m.reaction))
    expect(final.messages.map((m) => [m.direction, m.kind, m.withdrawn])).toEqual([
      ['echo', 'text', false],
      ['inbound', 'story_mention', false],
      ['inbound', 'text', true],
    ])
    expect(final.messages[1]).toMatchObject({ story: { kind: 'mention' }, text: null, attachments: [] })
    expect(final.messages[2]!.text).toBeNull()
    expect(JSON.stringify(await core.store.messages.page(conversationId, { limit: 50 }))).not.toContain('secret-words-to-withdraw')
  })
})
