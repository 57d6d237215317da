// What a file really is, read from its first bytes: a name's extension and a browser's guess are
// the sender's word, not the file's. Only the types Instagram might take are told apart precisely;
// a few common others are named so that a refusal can say what the file is.
import type { OutboundAttachmentType } from '../instagramLimits.ts'

export interface Sniffed {
  /** The content's media type, e.g. `image/png`; `application/octet-stream` when unknown. */
  mime: string
  /** How the Send API would take it; null when it is no image, video, audio or PDF at all. */
  type: OutboundAttachmentType | null
  /** What it is, in plain words, for a refusal ("a Windows program"). */
  description: string
}

/** Bytes enough to tell every format below apart. */
export const SNIFF_BYTES = 64

const ascii = (bytes: Uint8Array, from: number, length: number) => Buffer.from(bytes.subarray(from, from + length)).toString('latin1')
const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b)
const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).toString('latin1').includes(text)

function typeOf(mime: string): OutboundAttachmentType | null {
  if (mime === 'application/pdf') return 'file'
  const major = mime.split('/')[0]
  return major === 'image' || major === 'video' || major === 'audio' ? major : null
}

const result = (mime: string, description: string): Sniffed => ({ mime, type: typeOf(mime), description })

/** The file's type from its first bytes (give at least `SNIFF_BYTES` when the file has them). */
export function sniff(head: Uint8Array): Sniffed {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return result('image/png', 'a PNG image')
  if (startsWith(head, [0xff, 0xd8, 0xff])) return result('image/jpeg', 'a JPEG image')
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return result('image/gif', 'a GIF image')
  if (ascii(head, 0, 5) === '%PDF-') return result('application/pdf', 'a PDF document')
  if (ascii(head, 0, 4) === 'RIFF') {
    const form = ascii(head, 8, 4)
    if (form === 'WAVE') return result('audio/wav', 'WAV audio')
    if (form === 'AVI ') return result('video/x-msvideo', 'an AVI video')
    if (form === 'WEBP') return result('image/webp', 'a WebP image')
  }
  if (ascii(head, 4, 4) === 'ftyp') {
    const brand = ascii(head, 8, 4)
    if (brand === 'qt  ') return result('video/quicktime', 'a QuickTime video')
    if (brand === 'M4A ' || brand === 'M4B ') return result('audio/mp4', 'M4A audio')
    if (brand.startsWith('3g')) return result('video/3gpp', 'a 3GP video')
    if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return result('image/heic', 'a HEIC image')
    return result('video/mp4', 'an MP4 video')
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    return contains(head, 'webm') ? result('video/webm', 'a WebM video') : result('video/x-matroska', 'a Matroska video')
  }
  if (ascii(head, 0, 4) === 'OggS') return contains(head, 'theora') ? result('video/ogg', 'an Ogg video') : result('audio/ogg', 'Ogg audio')
  if (head[0] === 0xff && (head[1] === 0xf1 || head[1] === 0xf9)) return result('audio/aac', 'AAC audio')
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return result('audio/mpeg', 'MP3 audio')
  if (ascii(head, 0, 2) === 'MZ') return result('application/x-msdownload', 'a Windows program')
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return result('application/x-executable', 'a program')
  if (startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(head, [0xca, 0xfe, 0xba, 0xbe])) return result('application/x-mach-binary', 'a program')
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return result('application/zip', 'a ZIP archive or Office document')
  if (ascii(head, 0, 2) === '#!') return result('text/x-script', 'a script')
  return result('application/octet-stream', 'of a kind Parley does not recognise')
}
