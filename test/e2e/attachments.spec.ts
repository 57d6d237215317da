// A4 end to end in the browser host: the agent attaches files with the file chooser; the sandbox
// fetches the file from Parley's address as Meta does. Refused files never reach the Send API.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { solidPng } from '../../src-main/sandbox/png.ts'
import { expect, test, type SandboxControl } from './fixtures.ts'
import { connectNordlicht, leaWrites, openConversationWith } from './steps.ts'

const MB = 1024 * 1024
const PNG = solidPng('#1f6feb', 96)

async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Attach file' }).click()
  await (await chooser).setFiles(file)
}

interface Sent {
  messaging_type: string
  message: { text?: string; attachment?: { type: string; payload?: { url?: string } } }
  outcome: string
}
const sent = async (control: SandboxControl) => (await control.get<{ data: Sent[] }>('sent')).data

test('an agent sends a PNG with a text as two messages; too large and disguised files are refused before sending', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'Could you send me the menu?')
  await openConversationWith(page, 'Lea Hoffmann')
  const chip = page.getByRole('group', { name: 'Attachment' })
  const send = page.getByRole('button', { name: 'Send', exact: true })

  // A Windows program named .png: refused, nothing attached.
  await attach(page, { name: 'menu.png', mimeType: 'image/png', buffer: Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(8192, 7)]) })
  await expect(page.getByRole('alert').filter({ hasText: '“menu.png” is not an image, video, audio or PDF file' })).toBeVisible()
  await expect(chip).toHaveCount(0)

  // A 9 MB image: attached, but Instagram's 8 MB cap is shown and Send waits.
  await attach(page, { name: 'poster.png', mimeType: 'image/png', buffer: Buffer.concat([PNG.subarray(0, 64), Buffer.alloc(9 * MB - 64, 1)]) })
  await expect(chip).toContainText('poster.png')
  await expect(chip).toContainText('Image, 9 MB')
  await expect(page.getByRole('alert').filter({ hasText: 'Instagram accepts image/png files up to 8 MB' })).toBeVisible()
  await expect(send).toBeDisabled()
  await chip.getByRole('button', { name: 'Remove attachment' }).click()
  await expect(chip).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Attach file' })).toBeFocused()

  // A real PNG with a text: the file first, then the text, both as standard responses.
  await attach(page, { name: 'menu.png', mimeType: 'image/png', buffer: PNG })
  await expect(chip).toContainText('menu.png')
  await page.getByLabel('Reply', { exact: true }).fill('Here is our menu.')
  await expect(page.getByText('the file goes first, then the text as a second message')).toBeVisible()
  await send.click()
  await expect(page.getByText('Here is our menu.').last()).toBeVisible()
  await expect(chip).toHaveCount(0)

  await expect.poll(async () => (await sent(control)).map((s) => [s.message.attachment?.type ?? 'text', s.messaging_type, s.outcome])).toEqual([
    ['image', 'RESPONSE', 'accepted'],
    ['text', 'RESPONSE', 'accepted'],
  ])
  const [image] = await sent(control)
  // The sandbox fetched it from Parley's loopback address, by an id, not by its name.
  expect(image!.message.attachment!.payload!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/outgoing\/[A-Za-z0-9_-]{32}$/)
  // Once sent, Parley keeps no copy.
  const outgoing = join(parley.dataDir, 'outgoing')
  await expect.poll(() => (existsSync(outgoing) ? readdirSync(outgoing) : [])).toEqual([])
})
