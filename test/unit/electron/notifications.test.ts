// Item 10 on the desktop: Electron notifications for new customer messages.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeBrowserWindow } from './fakeElectron.ts'

class FakeNotification extends EventEmitter {
  static supported = true
  static made: FakeNotification[] = []
  static isSupported() {
    return FakeNotification.supported
  }
  options: { title: string; body: string }
  shown = false
  closed = false
  constructor(options: { title: string; body: string }) {
    super()
    this.options = options
    FakeNotification.made.push(this)
  }
  show() {
    this.shown = true
  }
  close() {
    this.closed = true
    this.emit('close')
  }
}

beforeEach(() => {
  vi.resetModules()
  FakeNotification.made = []
  FakeNotification.supported = true
  vi.doMock('electron', () => ({ Notification: FakeNotification }))
})

async function presenterWith(window: FakeBrowserWindow | null) {
  const { createDesktopNotificationPresenter } = await import('../../../src-main/electron/notifications.ts')
  return createDesktopNotificationPresenter(() => window as never)
}

describe('desktop notifications', () => {
  it('shows the words the window chose and, when clicked, brings Parley forward and reports the click', async () => {
    const window = new FakeBrowserWindow({})
    window.minimized = true
    const presenter = await presenterWith(window)
    const clicks: string[] = []
    presenter.show({ conversationId: 'c1', title: 'New message from Lea Hoffmann', body: 'Instagram · Nordlicht DMs' }, () => clicks.push('c1'))
    const [notification] = FakeNotification.made
    expect(notification?.options).toEqual({ title: 'New message from Lea Hoffmann', body: 'Instagram · Nordlicht DMs' })
    expect(notification?.shown).toBe(true)
    notification?.emit('click')
    expect(clicks).toEqual(['c1'])
    expect(window).toMatchObject({ minimized: false, shown: true, focused: true })
  })

  it('replaces the older notification of the same conversation, not another conversation’s', async () => {
    const presenter = await presenterWith(null)
    presenter.show({ conversationId: 'c1', title: 'one', body: null }, () => undefined)
    presenter.show({ conversationId: 'c2', title: 'two', body: null }, () => undefined)
    presenter.show({ conversationId: 'c1', title: 'three', body: null }, () => undefined)
    expect(FakeNotification.made.map((n) => [n.options.title, n.closed])).toEqual([['one', true], ['two', false], ['three', false]])
    expect(FakeNotification.made[2]?.options.body).toBe('')
  })

  it('stays quiet where the system has no notifications', async () => {
    FakeNotification.supported = false
    const presenter = await presenterWith(null)
    presenter.show({ conversationId: 'c1', title: 'one', body: null }, () => undefined)
    expect(FakeNotification.made).toEqual([])
  })
})
