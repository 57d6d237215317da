import { describe, expect, it } from 'vitest'
import { preflight } from '../../../../src-main/core/inbox/outbound/index.ts'
import { DEFAULT_CONTENT_PROFILE } from '../../../../src-main/core/integrations/contentProfiles.ts'

const MB = 1024 * 1024
const codes = (problems: { code: string }[]) => problems.map((p) => p.code)

describe('preflight (A4)', () => {
  it('takes text up to 1000 UTF-8 bytes and says by how much a longer one is over', () => {
    expect(preflight({ text: 'a'.repeat(1000) }, DEFAULT_CONTENT_PROFILE)).toEqual([])
    const [problem, ...rest] = preflight({ text: 'a'.repeat(1001) }, DEFAULT_CONTENT_PROFILE)
    expect(rest).toEqual([])
    expect(problem).toMatchObject({ code: 'text_too_long', params: { bytes: '1001', limit: '1000', over: '1' } })
    expect(problem!.message).toContain('1001 bytes')
    expect(problem!.remedy).toContain('by 1 byte')
  })

  it('counts bytes, not characters: multibyte text is over sooner', () => {
    // "ü" is 2 bytes, "☕" 3, "😀" 4 (a surrogate pair: 2 UTF-16 units).
    expect(preflight({ text: 'ü'.repeat(500) }, DEFAULT_CONTENT_PROFILE)).toEqual([])
    expect(preflight({ text: 'ü'.repeat(501) }, DEFAULT_CONTENT_PROFILE)).toMatchObject([{ code: 'text_too_long', params: { bytes: '1002', over: '2' } }])
    expect(preflight({ text: '😀'.repeat(250) }, DEFAULT_CONTENT_PROFILE)).toEqual([])
    expect(preflight({ text: `${'😀'.repeat(250)}☕` }, DEFAULT_CONTENT_PROFILE)).toMatchObject([{ code: 'text_too_long', params: { bytes: '1003', over: '3' } }])
  })

  it('refuses an empty reply, and text together with an attachment', () => {
    expect(codes(preflight({ text: '' }, DEFAULT_CONTENT_PROFILE))).toEqual(['empty_message'])
    expect(codes(preflight({ text: '  \n ' }, DEFAULT_CONTENT_PROFILE))).toEqual(['empty_message'])
    expect(codes(preflight({}, DEFAULT_CONTENT_PROFILE))).toEqual(['empty_message'])
    expect(codes(preflight({ text: 'see photo', attachment: { type: 'image', mimeType: 'image/png', sizeBytes: 10 } }, DEFAULT_CONTENT_PROFILE)))
      .toEqual(['text_and_attachment'])
  })

  it('follows the content profile’s outbound types, wildcards included', () => {
    const png = { type: 'image', mimeType: 'image/png', sizeBytes: 1000 }
    const mp4 = { type: 'video', mimeType: 'video/mp4', sizeBytes: 1000 }
    expect(preflight({ attachment: png }, DEFAULT_CONTENT_PROFILE)).toEqual([])
    expect(preflight({ attachment: { ...png, mimeType: 'IMAGE/PNG; name=x' } }, DEFAULT_CONTENT_PROFILE)).toEqual([])
    expect(preflight({ attachment: mp4 }, DEFAULT_CONTENT_PROFILE)).toMatchObject([
      { code: 'attachment_not_in_profile', params: { mimeType: 'video/mp4', profile: 'Default' } },
    ])
    const videos = { name: 'Video', outbound: ['video/*', 'image/png'], maxBytes: 25 * MB }
    expect(preflight({ attachment: mp4 }, videos)).toEqual([])
    expect(codes(preflight({ attachment: { type: 'image', mimeType: 'image/jpeg', sizeBytes: 10 } }, videos))).toEqual(['attachment_not_in_profile'])
    const everything = { name: 'All', outbound: ['*/*'], maxBytes: 25 * MB }
    expect(preflight({ attachment: { type: 'file', mimeType: 'application/pdf', sizeBytes: 10 } }, everything)).toEqual([])
  })

  it('applies the profile’s size cap and Instagram’s own (images 8 MB, audio/video/PDF 25 MB)', () => {
    const everything = { name: 'All', outbound: ['*/*'], maxBytes: 25 * MB }
    const small = { name: 'Small', outbound: ['*/*'], maxBytes: 2 * MB }
    expect(preflight({ attachment: { type: 'image', mimeType: 'image/jpeg', sizeBytes: 8 * MB } }, everything)).toEqual([])
    expect(preflight({ attachment: { type: 'image', mimeType: 'image/jpeg', sizeBytes: 8 * MB + 1 } }, everything)).toMatchObject([
      { code: 'attachment_over_instagram_size', params: { limit: '8 MB' } },
    ])
    expect(preflight({ attachment: { type: 'video', mimeType: 'video/mp4', sizeBytes: 25 * MB } }, everything)).toEqual([])
    expect(codes(preflight({ attachment: { type: 'audio', mimeType: 'audio/aac', sizeBytes: 25 * MB + 1 } }, { ...everything, maxBytes: 26 * MB })))
      .toEqual(['attachment_over_instagram_size'])
    expect(preflight({ attachment: { type: 'image', mimeType: 'image/png', sizeBytes: 3 * MB } }, small)).toMatchObject([
      { code: 'attachment_over_profile_size', params: { limit: '2 MB', profile: 'Small' } },
    ])
  })

  it('refuses types Instagram does not take, and returns every problem at once', () => {
    const everything = { name: 'All', outbound: ['*/*'], maxBytes: 25 * MB }
    expect(codes(preflight({ attachment: { type: 'image', mimeType: 'image/webp', sizeBytes: 10 } }, everything))).toEqual(['attachment_not_supported'])
    expect(codes(preflight({ attachment: { type: 'file', mimeType: 'application/zip', sizeBytes: 10 } }, everything))).toEqual(['attachment_not_supported'])
    expect(codes(preflight({ attachment: { type: 'sticker', mimeType: 'image/png', sizeBytes: 10 } }, everything))).toEqual(['attachment_not_supported'])
    // A 30 MB WebP under the default profile: wrong for the profile, too big for it, and not an Instagram type.
    const all = preflight({ attachment: { type: 'image', mimeType: 'image/webp', sizeBytes: 30 * MB } }, DEFAULT_CONTENT_PROFILE)
    expect(codes(all)).toEqual(['attachment_not_in_profile', 'attachment_over_profile_size', 'attachment_not_supported', 'attachment_over_instagram_size'])
    expect(all.every((p) => p.message.length > 0)).toBe(true)
    expect(codes(preflight({ text: 'x'.repeat(1200), attachment: { type: 'image', mimeType: 'image/png', sizeBytes: 9 * MB } }, DEFAULT_CONTENT_PROFILE)))
      .toEqual(['text_and_attachment', 'text_too_long', 'attachment_over_instagram_size'])
  })
})
