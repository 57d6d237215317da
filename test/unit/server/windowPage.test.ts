import { describe, expect, it } from 'vitest'
import { BOOT_ELEMENT_ID, bootScript, type BootAnswer } from '../../../src-main/core/contract/boot.ts'
import { windowPage } from '../../../src-main/server/windowPage.ts'

const PAGE = '<!doctype html><html><head><title>Parley</title><script type="module" src="/assets/app.js"></script></head><body><div id="app"></div></body></html>'
const answer = (value: unknown): BootAnswer => ({ name: 'app.info', reply: { ok: true, value } })

/** What the element's text parses to, as the window reads it. */
function answersIn(html: string): BootAnswer[] | null {
  const match = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">(.*?)</script>`, 's').exec(html)
  return match ? (JSON.parse(match[1]!) as BootAnswer[]) : null
}

describe("the window's page", () => {
  it('sends everything before </body> at once, and the answers once main has them', async () => {
    let answer_: (answers: BootAnswer[]) => void = () => {}
    const response = windowPage(PAGE, () => new Promise((resolve) => (answer_ = resolve)))
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    const first = decoder.decode((await reader.read()).value)
    // The browser can fetch the script while main is still answering.
    expect(first).toContain('<script type="module" src="/assets/app.js">')
    expect(first).not.toContain('</body>')
    answer_([answer({ name: 'Parley' })])
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value)
    const page = first + rest
    expect(answersIn(page)).toEqual([answer({ name: 'Parley' })])
    expect(page.indexOf(BOOT_ELEMENT_ID)).toBeLessThan(page.indexOf('</body>'))
    expect(page.endsWith('</body></html>')).toBe(true)
  })

  it('is served without answers when main cannot give them (the window then asks itself)', async () => {
    const page = await windowPage(PAGE, () => Promise.reject(new Error('store closed'))).text()
    expect(answersIn(page)).toBeNull()
    expect(page).toBe(PAGE)
  })

  it('keeps a text that looks like markup inside the answers, where it cannot end the element', () => {
    const hostile = '</script><script>alert(1)</script><!--'
    const script = bootScript([answer({ name: hostile })])
    expect(script.match(/<\/script>/g)).toHaveLength(1)
    expect(script).not.toContain('<!--')
    expect(answersIn(script)).toEqual([answer({ name: hostile })])
  })
})
