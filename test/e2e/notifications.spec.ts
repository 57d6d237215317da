// Item 10 in the browser host: a Web Notification for each new customer message, muted for the
// conversation on screen; clicking one opens its conversation.
import { expect, test } from './fixtures.ts'
import { connectNordlicht, openConversationWith } from './steps.ts'

test('new messages notify, except in the conversation on screen; a click opens the conversation', async ({ page, context, parley, control }) => {
  // Records the notifications the page creates, keeping the browser's own Notification working.
  await page.addInitScript({
    content: `{
      const Native = window.Notification
      const shown = []
      window.Notification = class extends Native {
        constructor(title, options) {
          super(title, options)
          shown.push({ title, notification: this })
        }
      }
      window.shownNotifications = shown
    }`,
  })
  const shownTitles = () => page.evaluate<string[]>('window.shownNotifications.map((n) => n.title)')

  await connectNordlicht(page, parley.url)
  await control.post('inbound', { to: 'nordlicht.kaffee', from: 'lea', text: 'Hello from Lea' })
  await openConversationWith(page, 'Lea Hoffmann')
  // The person allows them when the browser asks, after pressing the button.
  await context.grantPermissions(['notifications'])
  await page.getByRole('button', { name: 'Turn on notifications' }).click()
  await expect(page.getByText('Notifications are on for new messages.')).toBeVisible()

  // On screen: the thread shows it, no notification.
  await control.post('inbound', { to: 'nordlicht.kaffee', from: 'lea', text: 'Still there?' })
  await expect(page.getByRole('region', { name: 'Messages' }).getByText('Still there?')).toBeVisible()
  // Another customer: notified, by name.
  await control.post('inbound', { to: 'nordlicht.kaffee', from: 'tomas', text: 'Do you sell gift cards?' })
  await expect.poll(shownTitles).toEqual(['New message from Tomás Ribeiro'])

  await page.evaluate("window.shownNotifications[0].notification.onclick(new Event('click'))")
  await expect(page.getByRole('region', { name: 'Messages' }).getByText('Do you sell gift cards?')).toBeVisible()
  expect(await shownTitles()).toEqual(['New message from Tomás Ribeiro'])
})
