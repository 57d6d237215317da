import { afterEach, describe, expect, it, vi } from 'vitest'
import { INBOX_PAGE_SIZE as PAGE } from '../../src-main/core/contract/boot.ts'
import { ParleyError } from '../../src-main/core/contract/index.ts'
import App from '../../src-renderer/src/App.vue'
import { windowRange } from '../../src-renderer/src/composables/useVirtualList.ts'
import { opensOnInbox } from '../../src-renderer/src/router.ts'
import { useInboxStore } from '../../src-renderer/src/stores/inbox.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, buttons } from './queries.ts'
import { DAY, DONE, HOUR, MINUTE, conversation, conversationsOf, inFuture, inboxOf, message, pagedInbox, thread, threadScript } from './inboxFixtures.ts'
import type { VueWrapper } from '@vue/test-utils'

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

const listbox = (wrapper: VueWrapper) => wrapper.find('[role="listbox"]')
const options = (wrapper: VueWrapper) => wrapper.findAll('[role="option"]')
const optionIds = (wrapper: VueWrapper) => options(wrapper).map((o) => o.attributes('data-conversation'))

describe('windowRange (the virtual list’s arithmetic)', () => {
  it('renders the rows in view plus the overscan, clamped to the list', () => {
    expect(windowRange(0, 400, 100, 10_000, 3)).toEqual({ start: 0, end: 8 })
    expect(windowRange(5_000, 400, 100, 10_000, 3)).toEqual({ start: 47, end: 58 })
    expect(windowRange(999_900, 400, 100, 10_000, 3)).toEqual({ start: 9_996, end: 10_000 })
    expect(windowRange(0, 400, 100, 0, 3)).toEqual({ start: 0, end: 0 })
  })
})

describe('the conversation list', () => {
  it('keeps only a window of rows in the DOM for 10,000 conversations, and pages as it scrolls', async () => {
    const { wrapper, parley } = await mountWithParley(App, { script: { 'inbox.list': pagedInbox(10_000) } })
    expect(parley.inputsOf('inbox.list')).toEqual([{ limit: PAGE }])
    expect(wrapper.find('[data-total]').text()).toBe('10,000 conversations')
    const first = options(wrapper)
    expect(first.length).toBeGreaterThan(5)
    expect(first.length).toBeLessThanOrEqual(PAGE)
    expect(first[0]!.attributes('aria-setsize')).toBe('10000')
    expect(first[0]!.attributes('aria-posinset')).toBe('1')

    // Scroll near the end of what is loaded: the next page is asked for with main's cursor.
    const list = listbox(wrapper)
    list.element.scrollTop = (PAGE - 10) * 84
    await list.trigger('scroll')
    await settle()
    expect(parley.inputsOf('inbox.list')).toEqual([{ limit: PAGE }, { after: String(PAGE), limit: PAGE }])
    expect(optionIds(wrapper)).toContain(`c-${PAGE - 10}`)
    expect(optionIds(wrapper)).not.toContain('c-0')

    // Deep down, still a window only.
    for (let page = 2; page < 6; page++) {
      list.element.scrollTop = (page * PAGE - 5) * 84
      await list.trigger('scroll')
      await settle()
    }
    expect(parley.inputsOf('inbox.list')).toHaveLength(6)
    expect(options(wrapper).length).toBeLessThanOrEqual(PAGE)
    expect(optionIds(wrapper)).toContain(`c-${5 * PAGE - 5}`)
    expect(wrapper.findAll('[data-conversation]').length).toBe(options(wrapper).length)
  })

  it('shows each row’s customer, preview, time, unread count and reply window', async () => {
    const rows = [
      conversation(0, { unreadCount: 3, customer: { igsid: 'a', name: 'Anna Berg', username: 'anna.berg', avatarUrl: 'parley-media://avatar/a' } }),
      conversation(1, { lastMessage: { direction: 'inbound', kind: 'story_mention', preview: null, withdrawn: false, at: inFuture(-HOUR) } }),
      conversation(2, { lastMessage: { direction: 'inbound', kind: 'text', preview: null, withdrawn: true, at: inFuture(-HOUR) } }),
      conversation(3, { lastMessage: { direction: 'outbound', kind: 'attachment', preview: null, withdrawn: false, at: inFuture(-HOUR) } }),
      conversation(4, { window: { kind: 'standard', endsAt: inFuture(40 * MINUTE), nearDeadline: true } }),
      conversation(5, { window: { kind: 'human_agent', endsAt: inFuture(2 * DAY + 3 * HOUR + 30 * 1000), nearDeadline: false } }),
      conversation(6, { window: { kind: 'closed', endsAt: null, nearDeadline: false }, integrationDeleted: true }),
    ]
    const { wrapper } = await mountWithParley(App, { script: { 'inbox.list': inboxOf(rows) } })
    const row = (id: string) => wrapper.find(`[data-conversation="${id}"]`)
    expect(row('c-0').find('.row-name').text()).toBe('Anna Berg')
    expect(row('c-0').find('.row-username').text()).toBe('@anna.berg')
    expect(row('c-0').find('.avatar img').attributes('src')).toBe('parley-media://avatar/a')
    expect(row('c-0').find('[data-unread]').text()).toContain('3 unread messages')
    expect(row('c-0').find('.row-preview').text()).toBe('Hello from 0')
    expect(row('c-0').find('time').text()).toMatch(/\d/)
    expect(row('c-1').find('.avatar').text()).toBe('C1')
    expect(row('c-1').find('.row-preview').text()).toBe('Story mention')
    expect(row('c-2').find('.row-preview').text()).toBe('Message withdrawn by the customer')
    expect(row('c-3').find('.row-preview').text()).toBe('You: Attachment')
    expect(row('c-1').find('[data-unread]').exists()).toBe(false)
    expect(row('c-0').find('.window-tag').text()).toBe('4 h 59 min left')
    expect(row('c-0').find('[data-near-deadline]').exists()).toBe(false)
    expect(row('c-4').find('[data-near-deadline]').text()).toContain('Less than an hour left')
    expect(row('c-5').find('.window-tag').text()).toBe('2 d 3 h left')
    expect(row('c-6').find('[data-window="closed"]').text()).toBe('Reply window closed')
    expect(row('c-6').text()).toContain('Integration deleted')
  })

  it('flags a window that comes within the hour while it is on screen', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] })
    try {
      const { wrapper } = await mountWithParley(App, { script: { 'inbox.list': inboxOf([conversation(0, { window: { kind: 'standard', endsAt: inFuture(62 * MINUTE), nearDeadline: false } })]) } })
      expect(wrapper.find('[data-near-deadline]').exists()).toBe(false)
      vi.advanceTimersByTime(3 * MINUTE)
      await settle()
      expect(wrapper.find('.window-tag').text()).toContain('59 min left')
      expect(wrapper.find('[data-near-deadline]').exists()).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('asks for the first page once, even when the view mounts again while it is on its way', async () => {
    let answer = (_page: { items: ReturnType<typeof conversation>[]; nextCursor: null; total: number }) => {}
    const { wrapper, parley, router } = await mountWithParley(App, { script: { 'inbox.list': () => new Promise((resolve) => (answer = resolve)) } })
    await router.push('/sandbox')
    await settle()
    await router.push('/inbox')
    await settle()
    expect(parley.inputsOf('inbox.list')).toHaveLength(1)
    answer({ items: [conversation(0)], nextCursor: null, total: 1 })
    await settle()
    expect(optionIds(wrapper)).toEqual(['c-0'])
  })

  it('knows which addresses open on the inbox, whose first page main.ts asks for at start', () => {
    expect(['', '#/', '#/inbox', '#/inbox/c-1'].map(opensOnInbox)).toEqual([true, true, true, true])
    expect(['#/admin', '#/sandbox', '#/inboxes', '#/admin/platforms'].map(opensOnInbox)).toEqual([false, false, false, false])
  })

  it('says so when there are no conversations', async () => {
    const { wrapper } = await mountWithParley(App)
    expect(wrapper.find('h1').text()).toBe('Inbox')
    expect(wrapper.find('.empty-state').text()).toContain('No conversations yet.')
    expect(wrapper.find('[role="listbox"]').exists()).toBe(false)
  })

  it('says why the list could not be loaded, and tries again', async () => {
    let fail = true
    const { wrapper } = await mountWithParley(App, {
      script: {
        'inbox.list': () => {
          if (fail) throw new ParleyError('store_unreadable', 'The inbox database cannot be read.')
          return { items: [conversation(0)], nextCursor: null, total: 1 }
        },
      },
    })
    expect(wrapper.find('[role="alert"]').text()).toContain('The conversations could not be loaded: The inbox database cannot be read.')
    fail = false
    await button(wrapper, 'Try again').trigger('click')
    await settle()
    expect(optionIds(wrapper)).toEqual(['c-0'])
  })

  it('moves with the arrow keys, Home and End, and opens with Enter into the Reply box', async () => {
    const view = thread({ conversation: conversation(1) })
    const { wrapper, router, parley } = await mountWithParley(App, {
      script: { 'inbox.list': pagedInbox(300), 'inbox.thread': () => view, 'inbox.markRead': () => DONE },
    })
    const list = listbox(wrapper)
    expect(list.attributes('tabindex')).toBe('0')
    await list.trigger('focus')
    const active = () => wrapper.find(`#${list.attributes('aria-activedescendant')}`).attributes('data-conversation')
    expect(active()).toBe('c-0')
    await list.trigger('keydown', { key: 'ArrowDown' })
    await list.trigger('keydown', { key: 'ArrowDown' })
    await list.trigger('keydown', { key: 'ArrowUp' })
    expect(active()).toBe('c-1')
    await list.trigger('keydown', { key: 'End' })
    await settle()
    expect(active()).toBe(`c-${PAGE - 1}`)
    expect(list.element.scrollTop).toBeGreaterThan(0)
    // Reaching the end asks for the next page, so End again goes further.
    expect(parley.inputsOf('inbox.list')).toContainEqual({ after: String(PAGE), limit: PAGE })
    await list.trigger('keydown', { key: 'Home' })
    expect(active()).toBe('c-0')
    expect(list.element.scrollTop).toBe(0)
    await list.trigger('keydown', { key: 'ArrowDown' })
    await list.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(router.currentRoute.value.path).toBe('/inbox/c-1')
    expect(wrapper.find('[aria-selected="true"]').attributes('data-conversation')).toBe('c-1')
    expect(document.activeElement?.id).toBe(wrapper.find('.composer-box').attributes('id'))
    // Escape goes back to the list.
    await wrapper.find('.composer-box').trigger('keydown', { key: 'Escape' })
    expect(document.activeElement).toBe(list.element)
  })

  it('opens a conversation with a click, marks it read and clears its unread count', async () => {
    const unread = conversation(1, { unreadCount: 4 })
    const { wrapper, router, parley } = await mountWithParley(App, { script: threadScript(thread({ conversation: unread })) })
    expect(wrapper.find('[data-conversation="c-1"] [data-unread]').exists()).toBe(true)
    await wrapper.find('[data-conversation="c-1"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.path).toBe('/inbox/c-1')
    expect(parley.inputsOf('inbox.thread')).toEqual([{ conversationId: 'c-1', limit: 50 }])
    expect(parley.inputsOf('inbox.markRead')).toEqual([{ conversationId: 'c-1' }])
    expect(wrapper.find('[data-conversation="c-1"] [data-unread]').exists()).toBe(false)
  })
})

describe('live updates', () => {
  it('brings a changed conversation to the top and refreshes the open thread on inbox.changed', async () => {
    const first = message({ text: 'Is the shop open?' })
    let list = [conversation(0), conversation(1), conversation(2)]
    let view = thread({ conversation: conversation(1), messages: [first] })
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/inbox/c-1',
      script: {
        'inbox.list': () => ({ items: list, nextCursor: null, total: 3 }),
        'inbox.conversations': conversationsOf(() => list),
        'inbox.thread': () => view,
        'inbox.markRead': () => DONE,
      },
    })
    expect(optionIds(wrapper)).toEqual(['c-0', 'c-1', 'c-2'])
    expect(wrapper.findAll('.message').map((m) => m.attributes('data-mid'))).toEqual([first.mid])

    // A new message in c-2 (not open): it moves to the top with its preview and unread count.
    const c2 = conversation(2, { unreadCount: 1, lastActivityAt: inFuture(0), lastMessage: { direction: 'inbound', kind: 'text', preview: 'New question', withdrawn: false, at: inFuture(0) } })
    list = [c2, conversation(0), conversation(1)]
    parley.emit('inbox.changed', { conversationIds: ['c-2'], newInbound: true })
    await settle()
    expect(optionIds(wrapper)).toEqual(['c-2', 'c-0', 'c-1'])
    expect(wrapper.find('[data-conversation="c-2"] .row-preview').text()).toBe('New question')
    expect(wrapper.find('[data-conversation="c-2"] [data-unread]').exists()).toBe(true)
    expect(parley.inputsOf('inbox.thread')).toHaveLength(1)

    // A new message in the open conversation: the thread shows it, says so, and marks it read.
    const second = message({ text: 'Hello?' })
    view = thread({ conversation: conversation(1), messages: [first, second] })
    parley.emit('inbox.changed', { conversationIds: ['c-1'], newInbound: true })
    await settle()
    expect(wrapper.findAll('.message').map((m) => m.attributes('data-mid'))).toEqual([first.mid, second.mid])
    expect(wrapper.find('[data-announcement]').text()).toBe('New message from Customer 1: Hello?')
    expect(parley.inputsOf('inbox.markRead')).toHaveLength(2)
  })

  it('asks for the first page again when the connection comes back: what changed meanwhile was not announced', async () => {
    let list = [conversation(0), conversation(1)]
    const { wrapper, parley, pinia, setConnection } = await mountWithParley(App, { script: { 'inbox.list': () => ({ items: list, nextCursor: null, total: list.length }) } })
    expect(parley.inputsOf('inbox.list')).toHaveLength(1)
    const shown = useInboxStore(pinia).items

    // Nothing changed: the rows on screen are left as they are (nothing to draw again).
    setConnection('reconnecting')
    setConnection('connected')
    await settle()
    expect(parley.inputsOf('inbox.list')).toHaveLength(2)
    expect(useInboxStore(pinia).items).toBe(shown)

    // A conversation came in while the connection was down.
    list = [conversation(2, { lastActivityAt: inFuture(0) }), ...list]
    setConnection('reconnecting')
    setConnection('connected')
    await settle()
    expect(optionIds(wrapper)).toEqual(['c-2', 'c-0', 'c-1'])
    expect(wrapper.find('[data-total]').text()).toBe('3 conversations')
  })
})

describe('notifications (item 10)', () => {
  function stubNotifications(permission: NotificationPermission) {
    const shown: { title: string; options?: NotificationOptions }[] = []
    const requestPermission = vi.fn(async () => {
      FakeNotification.permission = 'granted'
      return 'granted' as const
    })
    class FakeNotification {
      static permission = permission
      static requestPermission = requestPermission
      onclick: (() => void) | null = null
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, options })
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification)
    return { shown, requestPermission }
  }

  it('asks for permission only from the button, then notifies — muted for the conversation on screen', async () => {
    const { shown, requestPermission } = stubNotifications('default')
    const { wrapper, parley } = await mountWithParley(App, { path: '/inbox/c-1', script: threadScript(thread()) })
    expect(requestPermission).not.toHaveBeenCalled()
    parley.emit('inbox.changed', { conversationIds: ['c-2'], newInbound: true })
    await settle()
    expect(shown).toEqual([])

    await button(wrapper, 'Turn on notifications').trigger('click')
    await settle()
    expect(requestPermission).toHaveBeenCalledOnce()
    expect(wrapper.text()).toContain('Notifications are on for new messages.')

    parley.emit('inbox.changed', { conversationIds: ['c-1', 'c-2'], newInbound: true })
    await settle()
    expect(shown.map((n) => n.title)).toEqual(['New message from Customer 2'])
    expect(shown[0]!.options?.tag).toBe('parley-conversation-c-2')

    // Not for changes without a new customer message (a reaction, a sent reply).
    parley.emit('inbox.changed', { conversationIds: ['c-2'], newInbound: false })
    await settle()
    expect(shown).toHaveLength(1)
  })

  it('in the desktop app, has main show them — muted for the conversation on screen while Parley has focus', async () => {
    const { shown } = stubNotifications('granted')
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(true)
    const { wrapper, parley } = await mountWithParley(App, {
      path: '/inbox/c-1',
      transport: 'ipc',
      script: { ...threadScript(thread()), 'notifications.show': () => ({ shown: true }) },
    })
    expect(buttons(wrapper, 'Turn on notifications')).toHaveLength(0)
    parley.emit('inbox.changed', { conversationIds: ['c-1', 'c-2'], newInbound: true })
    await settle()
    expect(parley.inputsOf('notifications.show')).toEqual([{ conversationId: 'c-2', title: 'New message from Customer 2', body: 'Instagram · Coffee DMs' }])
    expect(shown).toEqual([])

    // Parley in the background: the conversation on screen is not in view either.
    focus.mockReturnValue(false)
    parley.emit('inbox.changed', { conversationIds: ['c-1'], newInbound: true })
    await settle()
    expect(parley.inputsOf('notifications.show').map((n) => n.conversationId)).toEqual(['c-2', 'c-1'])

    // A click on the notification (reported by main) opens its conversation.
    parley.emit('inbox.open', { conversationId: 'c-2' })
    await settle()
    expect(wrapper.find('[aria-current="true"], [aria-selected="true"]').attributes('data-conversation')).toBe('c-2')
    focus.mockRestore()
  })
})

describe('refreshing changed rows', () => {
  it('updates a row in place, moves one with new activity, and leaves one that now sorts below the loaded pages for later', async () => {
    let rows = Array.from({ length: 300 }, (_, n) => conversation(n))
    const { wrapper, parley } = await mountWithParley(App, {
      script: {
        'inbox.list': ({ after, limit }) => {
          const start = after ? Number(after) : 0
          return { items: rows.slice(start, start + limit), nextCursor: start + limit < rows.length ? String(start + limit) : null, total: rows.length }
        },
        'inbox.conversations': conversationsOf(() => rows),
      },
    })
    expect(optionIds(wrapper).slice(0, 3)).toEqual(['c-0', 'c-1', 'c-2'])
    // c-5 was unsent (same activity, new preview); c-50 has a new message; c-20 went quiet for good (older than every loaded row).
    rows = rows.map((c) => {
      if (c.id === 'c-5') return { ...c, lastMessage: { ...c.lastMessage!, preview: null, withdrawn: true } }
      if (c.id === 'c-50') return { ...c, lastActivityAt: inFuture(0), unreadCount: 2 }
      if (c.id === 'c-20') return { ...c, lastActivityAt: '2000-01-01T00:00:00.000Z' }
      return c
    })
    parley.emit('inbox.changed', { conversationIds: ['c-5', 'c-50', 'c-20'], newInbound: true })
    await settle()
    expect(parley.inputsOf('inbox.conversations')).toEqual([{ ids: ['c-5', 'c-50', 'c-20'] }])
    expect(parley.inputsOf('inbox.list')).toHaveLength(1)
    expect(optionIds(wrapper).slice(0, 7)).toEqual(['c-50', 'c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5'])
    expect(optionIds(wrapper)).not.toContain('c-20')
    expect(wrapper.find('[data-conversation="c-5"] .row-preview').text()).toBe('Message withdrawn by the customer')
    expect(wrapper.find('[data-conversation="c-50"] [data-unread]').exists()).toBe(true)
  })
})

describe('focusing the list', () => {
  it('makes the first row in view active instead of scrolling back to an old one', async () => {
    const { wrapper } = await mountWithParley(App, { script: { 'inbox.list': pagedInbox(300) } })
    const list = listbox(wrapper)
    list.element.scrollTop = 30 * 84
    await list.trigger('scroll')
    await list.trigger('focus')
    expect(list.element.scrollTop).toBe(30 * 84)
    expect(wrapper.find(`#${list.attributes('aria-activedescendant')}`).attributes('data-conversation')).toBe('c-30')
  })
})
