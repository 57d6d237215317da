import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRendererAssets } from '../../../src-main/server/rendererAssets.ts'

function built(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-renderer-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title><script src="./assets/index-A1.js"></script>')
  writeFileSync(join(dir, 'assets', 'index-A1.js'), 'console.log("A1")')
  writeFileSync(join(dir, 'assets', 'index-A1.css'), 'body{}')
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>')
  return dir
}

describe('the built window, served from memory', () => {
  it('answers each file with its type; hashed assets may be kept, everything else is asked for again', async () => {
    const assets = createRendererAssets(built())
    const script = assets.answer('/assets/index-A1.js')!
    expect(await script.text()).toBe('console.log("A1")')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(assets.answer('/assets/index-A1.css')!.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const icon = assets.answer('/favicon.svg')!
    expect(icon.headers.get('content-type')).toBe('image/svg+xml')
    expect(icon.headers.get('cache-control')).toBe('no-store')
    const page = assets.answer('/')!
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toContain('<title>Parley</title>')
  })

  it('answers nothing for a file that is not there, or one outside the window', () => {
    const dir = built()
    writeFileSync(join(dir, '..', 'secret.txt'), 'not for the window')
    const assets = createRendererAssets(dir)
    expect(assets.answer('/assets/index-B2.js')).toBeNull()
    expect(assets.answer('/../secret.txt')).toBeNull()
    expect(assets.answer('/assets/../../secret.txt')).toBeNull()
  })

  it('notices a rebuild: the new page and its new scripts are served', async () => {
    const dir = built()
    const assets = createRendererAssets(dir)
    expect(assets.page()).toContain('index-A1.js')
    rmSync(join(dir, 'assets', 'index-A1.js'))
    writeFileSync(join(dir, 'assets', 'index-B2.js'), 'console.log("B2")')
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="./assets/index-B2.js"></script>')
    // The rebuild may land within the same clock tick: its time is what says it is new.
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5_000))
    expect(assets.page()).toContain('index-B2.js')
    expect(await assets.answer('/assets/index-B2.js')!.text()).toBe('console.log("B2")')
    expect(assets.answer('/assets/index-A1.js')).toBeNull()
  })

  it('finds a file written after the page by a build still under way', async () => {
    const dir = built()
    const assets = createRendererAssets(dir)
    expect(assets.page()).toContain('index-A1.js')
    writeFileSync(join(dir, 'assets', 'lazy-C3.js'), 'console.log("C3")')
    expect(await assets.answer('/assets/lazy-C3.js')!.text()).toBe('console.log("C3")')
  })

  it('says how to build the window before it is built, and serves it once it is', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'parley-renderer-')), 'renderer')
    const assets = createRendererAssets(dir)
    expect(assets.page()).toBeNull()
    const notBuilt = assets.answer('/assets/index-A1.js')!
    expect(notBuilt.status).toBe(503)
    expect(await notBuilt.text()).toContain('npm run build')
    mkdirSync(dir)
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>')
    expect(assets.page()).toContain('<title>Parley</title>')
  })
})
