import { filesContaining, filesUnder } from '../fixtures/dataDir.ts'
import { expect, test } from './fixtures.ts'
import { connectNordlicht, leaWrites, moveClock, sentTypes } from './steps.ts'

test('a customer writes, the agent sees it live; replies follow the windows at their edges', async ({ page, parley, control }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'Is the café open on Sunday?')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  const row = page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first()
  await expect(row).toContainText('Is the café open on Sunday?')
  await row.click()
  // The conversation's address once it is open (the list shows the same text before).
  await expect(page.getByLabel('Reply', { exact: true })).toBeVisible()
  const conversation = page.url()

  const reply = async (text: string) => {
    await page.goto(conversation)
    await page.getByLabel('Reply', { exact: true }).fill(text)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect(page.getByText(text).last()).toBeVisible()
  }

  // 23 h 59 m after the customer's message: a standard response.
  await moveClock(page, { preset: '+23 h 59 m', advance: '23h59m' })
  await reply('Yes, from 9 to 5.')
  await expect.poll(() => sentTypes(control)).toEqual([['RESPONSE', null, 'accepted']])

  // 24 h 1 m: only a human agent may answer.
  await moveClock(page, { advance: '2m' })
  await reply('Sorry for the late answer.')
  await expect.poll(() => sentTypes(control)).toEqual([
    ['RESPONSE', null, 'accepted'],
    ['MESSAGE_TAG', 'HUMAN_AGENT', 'accepted'],
  ])

  // 7 d 1 m: nothing may be sent; the composer says why.
  await moveClock(page, { advance: '6d23h' })
  await page.goto(conversation)
  await expect(page.getByLabel('Reply', { exact: true })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
  await expect(page.getByText(/7 days/).first()).toBeVisible()
  expect(await sentTypes(control)).toHaveLength(2)
})

test('an unsent message is shown as withdrawn and its text is gone', async ({ page, parley }) => {
  await connectNordlicht(page, parley.url)
  await leaWrites(page, 'please-forget-this-sentence')
  await page.getByRole('button', { name: 'Unsend' }).first().click()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  await page.getByRole('option', { name: /Lea Hoffmann/ }).or(page.getByRole('link', { name: /Lea Hoffmann/ })).first().click()
  await expect(page.getByText('Message withdrawn by the customer').first()).toBeVisible()
  await expect(page.getByText('please-forget-this-sentence')).toHaveCount(0)
  // A6: gone from the store, not hidden — in no file of the data directory, WAL included.
  expect(filesUnder(parley.dataDir).some((file) => /inbox\.sqlite/.test(file))).toBe(true)
  expect(filesContaining(parley.dataDir, 'please-forget-this-sentence')).toEqual([])
})
