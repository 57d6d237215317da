import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxPage, SaveResult, ThreadView } from '../../../src-main/core/contract/index.ts'
import { startCoreOnSandbox } from '../../fixtures/coreOnSandbox.ts'
import { PAGES } from '../../fixtures/sandboxDialog.ts'

const NORDLICHT_IG = '17841401234567801'
let core: Awaited<ReturnType<typeof startCoreOnSandbox>>
beforeEach(async () => {
  core = await startCoreOnSandbox()
})
afterEach(() => core.close())

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read()
    if (ok(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return read()
}

async function connectNordlicht() {
  const login = await core.login({ pageIds: Object.values(PAGES) })
  const result = await core.call<SaveResult>('integrations.create', { loginId: login.loginId, pageId: PAGES.nordlicht, name: 'Nordlicht DMs' })
  if (!result.saved) throw new Error('not saved')
}

const inbox = () => core.call<InboxPage>('inbox.list', { limit: 50 })

describe('receiving by webhook (A2, A5–A8)', () => {
  it('stores what a customer writes once, with their name, and shows it live', async () => {
    await connectNordlicht()
    await core.control('inbound', { to: NORDLICHT_IG, from: 'lea', text: 'Is the café open on Sunday?' })
    const page = await until(inbox, (p) => p.items[0]?.customer.name === 'Lea Hoffmann')
    expect(page.items[0]).toMatchObject({ customer: { name: 'Lea Hoffmann', username: 'lea.hoffmann' }, unreadCount: 1, lastMessage: { preview: 'Is the café open on Sunday?' } })
    expect(core.events.some((e) => e.name === 'inbox.changed' && e.payload.newInbound)).toBe(true)
  })

  it('erases an unsent message, shows echoes once, keeps reactions and story mentions without media', async () => {
    await connectNordlicht()
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
