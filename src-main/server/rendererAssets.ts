// The built window (out/renderer) served from memory by both hosts. Its files do not change while
// a host runs, so they are read once; a rebuild is noticed by index.html's modification time (read
// with every page and every miss) and read again. A fresh window asks for all of its scripts at
// once, and opening, statting and streaming each file from disk per request was a large part of
// what it waited for.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'

export const NOT_BUILT = 'The Parley window is not built yet: run "npm run build" (npm start and npm run server do it for you).'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

interface Asset {
  body: Uint8Array<ArrayBuffer>
  type: string
}

export interface RendererAssets {
  /** index.html as built; null when the window is not built. */
  page(): string | null
  /** The file at a URL path (`/` is index.html); 503 saying how to build when nothing is built; null when there is no such file. */
  answer(pathname: string): Response | null
}

export function createRendererAssets(dir: string): RendererAssets {
  let built: { version: number; files: Map<string, Asset> } | null = null

  function refreshed(): Map<string, Asset> | null {
    let version: number
    try {
      version = statSync(join(dir, 'index.html')).mtimeMs
    } catch {
      return (built = null)
    }
    if (built?.version !== version) built = { version, files: readAll(dir) }
    return built.files
  }

  function find(path: string): Asset | undefined {
    const known = path === '/index.html' ? undefined : built?.files.get(path)
    if (known) return known
    const files = refreshed()
    // A file written after index.html by a build still under way: read the window again.
    if (files && !files.has(path) && existsSync(join(dir, path))) built = { version: built!.version, files: readAll(dir) }
    return built?.files.get(path)
  }

  return {
    page() {
      const index = find('/index.html')
      return index ? new TextDecoder().decode(index.body) : null
    },
    answer(pathname) {
      const asset = find(pathname === '/' ? '/index.html' : pathname)
      if (!asset) return built ? null : new Response(NOT_BUILT, { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      // Names under assets/ carry a hash of their content: one name never means other bytes.
      const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store'
      return new Response(asset.body, { headers: { 'Content-Type': asset.type, 'Cache-Control': cache } })
    },
  }
}

function readAll(dir: string): Map<string, Asset> {
  const files = new Map<string, Asset>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const urlPath = `/${relative(dir, path).split(sep).join('/')}`
    files.set(urlPath, { body: new Uint8Array(readFileSync(path)), type: TYPES[extname(path)] ?? 'application/octet-stream' })
  }
  return files
}
