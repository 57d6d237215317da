// Media the sandbox serves from its own origin, in the shape of Meta's CDN URLs
// (…/ig_messaging_cdn/?asset_id=…&signature=…). A wrong signature answers 403; a story's media
// answers 404 once 24 h of sandbox time have passed since the story (as Meta's CDN does).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from './clock.ts'
import { randomDigits } from './ids.ts'
import { solidPng } from './png.ts'

export interface Asset {
  id: string
  contentType: string
  body: () => Buffer
  /** Sandbox time after which the CDN stops serving it (stories). */
  expiresAt?: number
}

export const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', ogg: 'video/ogg', avi: 'video/x-msvideo',
  aac: 'audio/aac', m4a: 'audio/mp4', wav: 'audio/wav', mp3: 'audio/mpeg', pdf: 'application/pdf', txt: 'text/plain',
}

/** Placeholder bodies for the media kinds Instagram delivers. */
export function placeholderAsset(kind: string, color: string): Pick<Asset, 'contentType' | 'body'> {
  switch (kind) {
    case 'video':
    case 'ig_reel':
    case 'reel':
      return { contentType: 'video/mp4', body: () => Buffer.from('\x00\x00\x00\x18ftypmp42sandbox-video') }
    case 'audio':
      return { contentType: 'audio/mp4', body: () => Buffer.from('\x00\x00\x00\x18ftypM4A sandbox-audio') }
    case 'file':
      return { contentType: 'application/pdf', body: () => Buffer.from('%PDF-1.4\n% sandbox document\n%%EOF\n') }
    default:
      return { contentType: 'image/png', body: () => solidPng(color) }
  }
}

export class MediaStore {
  private readonly assets = new Map<string, Asset>()
  private readonly key = randomBytes(32)
  private readonly origin: () => string
  private readonly clock: Clock

  constructor(origin: () => string, clock: Clock) {
    this.origin = origin
    this.clock = clock
  }

  private sign(assetId: string): string {
    return createHmac('sha256', this.key).update(assetId).digest('base64url').slice(0, 27)
  }

  add(asset: Omit<Asset, 'id'> & { id?: string }): string {
    const id = asset.id ?? randomDigits(16)
    this.assets.set(id, { ...asset, id })
    return `${this.origin()}/cdn/ig_messaging_cdn/?asset_id=${id}&signature=${this.sign(id)}`
  }

  /** Profile pictures keep a stable URL per person so clients can cache by URL. */
  profilePicture(id: string, color: string): string {
    if (!this.assets.has(id)) this.assets.set(id, { id, contentType: 'image/png', body: () => solidPng(color, 150) })
    return `${this.origin()}/cdn/ig_messaging_cdn/?asset_id=${id}&signature=${this.sign(id)}`
  }

  lookup(assetId: string, signature: string): { status: 200; asset: Asset } | { status: 403 | 404 } {
    const expected = Buffer.from(this.sign(assetId))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 403 }
    const asset = this.assets.get(assetId)
    if (!asset) return { status: 404 }
    if (asset.expiresAt !== undefined && this.clock.now() >= asset.expiresAt) return { status: 404 }
    return { status: 200, asset }
  }

  clear(): void {
    this.assets.clear()
  }
}
