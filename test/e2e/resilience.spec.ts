// A9, A10 and item 12 of the inbox: with faults injected through /__sandbox/faults no customer
// message is lost or shown twice, no reply is sent twice, and without Meta the inbox stays readable
// while replies wait in the outbox.
import type { Page } from '@playwright/test'
import { expect, test, type SandboxControl } from './fixtures.ts'
import { connectNordlicht, openConversationWith } from './steps.ts'

const NORDLICHT = 'nordlicht.kaffee'

const customerWrites = (control: SandboxControl, text: string) => control.post('inbound', { to: NORDLICHT, from: 'lea', text })

/** Replies the sandbox accepted, in order: what reached the customer. */
const accepted = async (control: SandboxControl) =>
  (await control.get<{ data: { message: { text?: string }; outcome: string }[] }>('sent')).data.filter((s) => s.outcome === 'accepted').map((s) => s.message.text)

async function reply(page: Page, text: string) {
  await page.getByLabel('Reply', { exact: true }).fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
}

const outbox = (page: Page) => page.getByRole('region', { name: 'Outbox' })
const messages = (page: Page) => page.getByRole('region', { name: 'Messages' })

test('webhook deliveries dropped or answered into the void: every customer message is shown once', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  // The first delivery arrives twice (both answers lost), then its third attempt is dropped.
  await control.post('faults', [
    { target: 'webhooks', path: '/**', dropAnswer: true, times: 2 },
    { target: 'webhooks', path: '/**', drop: true, times: 1 },
  ])
  const texts = ['Order 1001: where is it?', 'Order 1002 too', 'And order 1003', 'Also 1004', 'Last one: 1005']
  for (const text of texts) await customerWrites(control, text)

  await openConversationWith(page, 'Lea Hoffmann')
  for (const text of texts) await expect(messages(page).getByText(text, { exact: true })).toHaveCount(1)

  // The faults did fire: the first message was delivered twice and then given up on.
  const deliveries = await control.get<{ data: { attempts: { error?: string; status?: number }[] }[] }>('webhooks')
  expect(deliveries.data[0]?.attempts.map((a) => a.error ?? a.status)).toEqual([
    'answer lost (injected fault; the app answered 200)',
    'answer lost (injected fault; the app answered 200)',
    'connection dropped (injected fault)',
  ])
  await page.reload()
  for (const text of texts) await expect(messages(page).getByText(text, { exact: true })).toHaveCount(1)
})

test('a reply whose answer was lost, or whose connection dropped, reaches the customer exactly once', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await customerWrites(control, 'Do you ship to Austria?')
  await openConversationWith(page, 'Lea Hoffmann')

  // Meta takes the reply, but the answer never comes back: Parley cannot know it went out.
  await control.post('faults', { path: '/me/messages', method: 'POST', dropAnswer: true, times: 1 })
  await reply(page, 'Yes, we ship to Austria.')
  await expect(outbox(page).getByText('Checking whether it went out…')).toBeVisible()
  // Parley lets a minute of Meta's time pass before it looks; the sandbox's clock moves it on.
  await control.post('clock', { advance: '2m' })
  await expect(outbox(page)).toHaveCount(0, { timeout: 20_000 })

  // The connection breaks before Meta sees the reply: Parley finds it missing and sends it once.
  await control.post('faults', { path: '/me/messages', method: 'POST', drop: true, times: 1 })
  await reply(page, 'Delivery takes three days.')
  await expect(outbox(page).getByText('Checking whether it went out…')).toBeVisible()
  await control.post('clock', { advance: '2m' })
  await expect.poll(() => accepted(control), { timeout: 20_000 }).toEqual(['Yes, we ship to Austria.', 'Delivery takes three days.'])
  await expect(outbox(page)).toHaveCount(0)
  await expect(messages(page).getByText('Delivery takes three days.', { exact: true })).toHaveCount(1)

  // Nothing goes out again later.
  await page.waitForTimeout(6_000)
  expect(await accepted(control)).toEqual(['Yes, we ship to Austria.', 'Delivery takes three days.'])
})

test('without Meta the inbox stays readable; a reply waits in the outbox and goes out when Meta is back', async ({ page, parley, control, sandbox }) => {
  await connectNordlicht(page, parley.url)
  await customerWrites(control, 'Are you open today?')
  await openConversationWith(page, 'Lea Hoffmann')

  await sandbox.setReachable(false)
  await page.reload()
  await expect(messages(page).getByText('Are you open today?', { exact: true })).toBeVisible()
  await reply(page, 'Yes, until 6 pm.')
  await expect(outbox(page).getByText('Waiting to send')).toBeVisible()
  await expect(outbox(page).getByText('Yes, until 6 pm.')).toBeVisible()

  await sandbox.setReachable(true)
  await expect.poll(() => accepted(control), { timeout: 30_000 }).toEqual(['Yes, until 6 pm.'])
  await expect(outbox(page)).toHaveCount(0)
  await expect(messages(page).getByText('Yes, until 6 pm.', { exact: true })).toHaveCount(1)
})
