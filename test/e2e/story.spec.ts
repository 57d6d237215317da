import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test, type SandboxControl } from './fixtures.ts'
import { connectNordlicht } from './steps.ts'

// Issue 5, items 3 and 5 in the browser host: avatars come through main's media route; a story
// mention is shown as such, its media never — not in the browser, not on disk.

/** As Lea, through Parley's Sandbox view: she mentions the business in her story. */
async function leaMentionsUs(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandbox' }).click()
  const account = page.getByLabel('Business account')
  await account.selectOption((await account.locator('option', { hasText: 'nordlicht.kaffee' }).getAttribute('value'))!)
  const customer = page.getByLabel('Customer', { exact: true })
  await customer.selectOption((await customer.locator('option', { hasText: 'Lea Hoffmann' }).getAttribute('value'))!)
  await page.getByRole('button', { name: 'Story mention', exact: true }).click()
  await expect(page.getByRole('listitem').filter({ hasText: 'Story mention sent.' })).toBeVisible()
}

/** The story's CDN URL, from the webhook the sandbox delivered to Parley. */
async function storyUrl(control: SandboxControl): Promise<string> {
  const { data } = await control.get<{ data: { body: string }[] }>('webhooks')
  for (const { body } of data) {
    for (const entry of (JSON.parse(body) as { entry: { messaging?: { message?: { attachments?: { type: string; payload: { url: string } }[] } }[] }[] }).entry) {
      for (const event of entry.messaging ?? []) {
        const mention = event.message?.attachments?.find((a) => a.type === 'story_mention')
        if (mention) return mention.payload.url
      }
    }
  }
  throw new Error('the sandbox delivered no story mention')
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

test('a story mention is shown as such; the browser says why it shows no story; nothing of it reaches the disk', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await leaMentionsUs(page)

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  const row = page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first()
  await expect(row).toBeVisible()

  // The avatar: loaded from main's media route, never from Meta's CDN.
  const avatar = row.locator('.avatar img')
  await expect(avatar).toHaveAttribute('src', /^\/media\/avatar\//)
  await expect.poll(() => avatar.evaluate((img) => (img as unknown as { naturalWidth: number; complete: boolean }).naturalWidth)).toBeGreaterThan(0)
  const avatarResponse = await page.request.get(new URL((await avatar.getAttribute('src'))!, parley.url).href)
  expect(avatarResponse.status()).toBe(200)
  expect(avatarResponse.headers()['cache-control']).toBe('no-store')
  expect(avatarResponse.headers()['content-type']).toBe('image/png')

  await row.click()
  const mention = page.locator('[data-story="mention"]')
  await expect(mention).toContainText('Lea Hoffmann mentioned you in their story')
  await mention.getByRole('button', { name: 'View story' }).click()
  await expect(mention.getByRole('alert')).toContainText('A browser cannot protect story media from screen capture, so Parley shows stories only in the desktop app.')
  await expect(mention.getByRole('alert')).toContainText('Open this conversation in the Parley desktop app to view the story.')

  // Nothing of the story anywhere under PARLEY_DATA_DIR: neither its URL nor its bytes.
  const url = await storyUrl(control)
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer())
  expect(bytes.length).toBeGreaterThan(0)
  const assetId = new URL(url).searchParams.get('asset_id')!
  const files = filesUnder(parley.dataDir)
  expect(files.some((file) => file.endsWith('inbox.sqlite'))).toBe(true)
  for (const file of files) {
    const content = readFileSync(file)
    expect(content.includes(Buffer.from(assetId)), file).toBe(false)
    expect(content.includes(bytes), file).toBe(false)
  }
})
