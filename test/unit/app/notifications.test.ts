// Item 10: the contract's notifications.show through Parley's real core.
import { afterEach, describe, expect, it } from 'vitest'
import type { EventMessage, NotificationRequest } from '../../../src-main/core/contract/index.ts'
import { createCoreBridge, type CoreUnderTest } from '../../fixtures/coreBridge.ts'

let core: CoreUnderTest
afterEach(async () => {
  await core.parley.stop()
})

const request: NotificationRequest = { conversationId: 'c1', title: 'New message from Lea Hoffmann', body: 'Instagram · Nordlicht DMs' }

describe('notifications.show', () => {
  it('answers false where the host has no system notifications (the browser host)', async () => {
    core = await createCoreBridge()
    expect(await core.bridge.invoke('notifications.show', request)).toEqual({ ok: true, value: { shown: false } })
  })

  it('hands the words to the host, and a click tells the window to open the conversation', async () => {
    core = await createCoreBridge()
    const shown: NotificationRequest[] = []
    let click = () => {}
    core.parley.setNotificationPresenter({
      show: (notification, onClick) => {
        shown.push(notification)
        click = onClick
      },
    })
    const events: EventMessage[] = []
    core.bridge.on((event) => events.push(event))
    expect(await core.bridge.invoke('notifications.show', request)).toEqual({ ok: true, value: { shown: true } })
    expect(shown).toEqual([request])
    click()
    expect(events).toContainEqual({ name: 'inbox.open', payload: { conversationId: 'c1' } })
  })

  it('refuses words too long for a notification, clearly', async () => {
    core = await createCoreBridge()
    const reply = await core.bridge.invoke('notifications.show', { ...request, title: 'x'.repeat(201) })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
