import { afterEach, describe, expect, it, vi } from 'vitest'
import { VIEWER_SCRIPT, viewerHtml, type Protection } from '../../src-main/electron/storyViewerPage.ts'

// The viewer's own page, run in a DOM: what the person sees, and when the bytes are asked for.
const MEDIA = 'parley-story://viewer/media/one-time-token'

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.replaceChildren()
})

async function load(protection: Protection, answer: () => Response = () => new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/png' } }), mediaUrl: string | null = MEDIA) {
  const requests: string[] = []
  vi.stubGlobal('fetch', async (url: string) => (requests.push(url), answer()))
  const parsed = new DOMParser().parseFromString(viewerHtml({ language: 'en', kind: 'mention', protection, mediaUrl, scriptUrl: 'x.js', styleUrl: 'x.css' }).replace(/<link[^>]*>/, ''), 'text/html')
  for (const { name, value } of [...parsed.body.attributes]) document.body.setAttribute(name, value)
  document.body.replaceChildren(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)))
  new Function(VIEWER_SCRIPT)()
  await settle()
  return { requests, body: document.body, reveal: document.getElementById('reveal') as HTMLButtonElement, status: document.getElementById('status')! }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

describe('the story viewer page', () => {
  it('with content protection, loads the story once, at once', async () => {
    const { requests, body, reveal } = await load('os')
    expect(requests).toEqual([MEDIA])
    expect(reveal.hidden).toBe(true)
    expect(body.dataset.revealed).toBe('true')
    expect(document.querySelector('#stage img')?.getAttribute('alt')).toBe('The customer’s story')
    window.dispatchEvent(new Event('blur'))
    expect(body.dataset.revealed).toBe('true')
  })

  it('without it (Linux), asks for nothing until "Click to reveal", and hides again when the window loses focus', async () => {
    const { requests, body, reveal } = await load('reveal')
    expect(reveal.hidden).toBe(false)
    expect(reveal.textContent).toBe('Click to reveal')
    expect(document.querySelector('.note')!.textContent).toContain('cannot protect windows from screen capture')
    expect(requests).toEqual([])
    expect(body.dataset.revealed).toBe('false')

    reveal.click()
    await settle()
    expect(requests).toEqual([MEDIA])
    expect(body.dataset.revealed).toBe('true')
    expect(document.querySelector('#stage img')).not.toBeNull()

    window.dispatchEvent(new Event('blur'))
    expect(body.dataset.revealed).toBe('false')
    // Main's own hide (on the window's blur) does the same.
    reveal.click()
    await settle()
    expect(body.dataset.revealed).toBe('true')
    ;(window as unknown as { parleyHideStory(): void }).parleyHideStory()
    expect(body.dataset.revealed).toBe('false')
    // Revealing again shows what is in memory: the one-time address is not asked twice.
    expect(requests).toEqual([MEDIA])
  })

  it('says "This story is no longer available" when main answers 410, or when it was gone already', async () => {
    const late = await load('os', () => new Response('expired', { status: 410 }))
    expect(late.status.hidden).toBe(false)
    expect(late.status.textContent).toBe('This story is no longer available')
    expect(document.querySelector('#stage img')).toBeNull()

    document.body.replaceChildren()
    const gone = await load('reveal', undefined, null)
    expect(gone.requests).toEqual([])
    expect(gone.status.textContent).toBe('This story is no longer available')
  })

  it('says the story could not be loaded on any other failure', async () => {
    const { status } = await load('os', () => new Response('bad gateway', { status: 502 }))
    expect(status.textContent).toBe('The story could not be loaded. Close this window and open it again.')
  })
})
