import { describe, expect, it } from 'vitest'
import { mimeAllowed, DEFAULT_CONTENT_PROFILE, ContentProfile } from '../../../src-main/core/integrations/contentProfiles.ts'
import { createContentProfileStore } from '../../../src-main/core/integrations/contentProfileStore.ts'
import { openTempStore } from '../store/helpers.ts'
import { droppedPages, pageChoices, type PageFacts } from '../../../src-main/core/integrations/pageChoices.ts'
import { checkPrerequisites } from '../../../src-main/core/integrations/prerequisites.ts'
import { grantedPageIds } from '../../../src-main/core/auth/loginService.ts'
import { REQUIRED_SCOPES } from '../../../src-main/core/integrations/requirements.ts'

const page = (over: Partial<PageFacts> = {}): PageFacts => ({
  id: '1',
  name: 'Page',
  published: true,
  instagram: { id: '178', username: 'shop' },
  switchNotConfirmed: false,
  ...over,
})
const ALL_SCOPES = new Set<string>(REQUIRED_SCOPES)

describe('prerequisites, in order (S2)', () => {
  it('all pass for a published page with a linked professional account and every permission', () => {
    expect(checkPrerequisites(page(), ALL_SCOPES).map((c) => c.status)).toEqual(['passed', 'passed', 'passed', 'passed'])
  })

  it('names each failing one with its fix', () => {
    expect(checkPrerequisites(page({ published: false }), ALL_SCOPES)[0]).toEqual({ id: 'page_published', status: 'failed', fix: 'publish_page', missing: [] })
    expect(checkPrerequisites(page({ instagram: null }), ALL_SCOPES).slice(1, 3)).toEqual([
      { id: 'ig_professional', status: 'not_checked', fix: null, missing: [] },
      { id: 'ig_linked', status: 'failed', fix: 'link_instagram', missing: [] },
    ])
    expect(checkPrerequisites(page({ instagram: null, switchNotConfirmed: true }), ALL_SCOPES).slice(1, 3)).toEqual([
      { id: 'ig_professional', status: 'failed', fix: 'confirm_professional_switch', missing: [] },
      { id: 'ig_linked', status: 'passed', fix: null, missing: [] },
    ])
  })

  it('lists the permissions that were not granted', () => {
    const scopes = new Set(['pages_show_list', 'instagram_basic'])
    expect(checkPrerequisites(page(), scopes)[3]).toEqual({
      id: 'permissions',
      status: 'failed',
      fix: 'grant_permissions',
      missing: ['pages_manage_metadata', 'pages_read_engagement', 'instagram_manage_messages'],
    })
  })

  it('treats a page whose publication Meta did not report as published', () => {
    expect(checkPrerequisites(page({ published: null }), ALL_SCOPES)[0]!.status).toBe('passed')
  })
})

describe('page choices (S4, S6) and dropped pages (S5)', () => {
  it('offers every page and says why one cannot be chosen', () => {
    const choices = pageChoices(
      [page({ id: 'a' }), page({ id: 'b', instagram: null }), page({ id: 'c', instagram: null, switchNotConfirmed: true }), page({ id: 'd' })],
      [{ integrationId: 'i1', pageId: 'd', integrationName: 'Shop DMs' }],
    )
    expect(choices.map((c) => [c.id, c.selectable, c.unavailable, c.integrationName])).toEqual([
      ['a', true, null, null],
      ['b', false, 'no_linked_account', null],
      ['c', false, 'switch_not_confirmed', null],
      ['d', false, 'already_integrated', 'Shop DMs'],
    ])
  })

  it('counts a page as granted when /me/accounts lists it and debug_token does not exclude it', () => {
    const pages = [{ id: 'p1' }, { id: 'p2' }]
    expect([...grantedPageIds(pages, [])]).toEqual(['p1', 'p2'])
    expect([...grantedPageIds(pages, [{ scope: 'pages_manage_metadata', targetIds: ['p2', 'p9'] }])]).toEqual(['p2'])
    expect([...grantedPageIds(pages, [{ scope: 'instagram_basic', targetIds: ['178'] }])]).toEqual(['p1', 'p2'])
  })

  it('finds the integrated pages a login did not grant', () => {
    const integrated = [
      { integrationId: '1', pageId: 'p1', integrationName: 'One' },
      { integrationId: '2', pageId: 'p2', integrationName: 'Two' },
    ]
    expect(droppedPages(new Set(['p1', 'p2', 'p3']), integrated)).toEqual([])
    expect(droppedPages(new Set(['p2']), integrated)).toEqual([integrated[0]])
  })
})

describe('content profiles (S8)', () => {
  it('match MIME types and wildcards, ignoring case and parameters', () => {
    expect(mimeAllowed('image/png', ['image/*'])).toBe(true)
    expect(mimeAllowed('IMAGE/PNG; charset=x', ['image/png'])).toBe(true)
    expect(mimeAllowed('video/mp4', ['image/*'])).toBe(false)
    expect(mimeAllowed('video/mp4', ['*/*'])).toBe(true)
    expect(mimeAllowed('nonsense', ['*/*'])).toBe(false)
  })

  it('default: all inbound, jpg/png/gif outbound, 25 MB — and it cannot be changed or deleted', async () => {
    expect(DEFAULT_CONTENT_PROFILE).toMatchObject({ inbound: ['*/*'], outbound: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 25 * 1024 * 1024 })
    const store = await createContentProfileStore(openTempStore().contentProfiles)
    await expect(store.save({ ...DEFAULT_CONTENT_PROFILE })).rejects.toThrow(/cannot be changed/)
    await expect(store.delete('default', [])).rejects.toThrow(/cannot be deleted/)
  })

  it('are created, edited and deleted; names are unique; bad patterns and sizes are refused', async () => {
    const store = await createContentProfileStore(openTempStore().contentProfiles)
    const photos = await store.save({ name: 'Photos', inbound: ['image/*'], outbound: ['IMAGE/PNG '], maxBytes: 8_000_000 })
    expect(photos.outbound).toEqual(['image/png'])
    expect(store.list().map((p) => p.name)).toEqual(['Default', 'Photos'])
    expect((await store.save({ ...photos, name: 'Pictures' })).name).toBe('Pictures')
    await expect(store.save({ name: 'pictures', inbound: [], outbound: [], maxBytes: 1 })).rejects.toThrow(/already exists/)
    await expect(store.save({ name: 'default', inbound: [], outbound: [], maxBytes: 1 })).rejects.toThrow(/already exists/)
    expect(() => ContentProfile.parse({ ...photos, inbound: ['image/'] })).toThrow(/MIME type/)
    expect(() => ContentProfile.parse({ ...photos, maxBytes: 26 * 1024 * 1024 })).toThrow(/25 MB/)
    await expect(store.delete(photos.id, ['Shop DMs'])).rejects.toThrow(/used by Shop DMs/)
    await store.delete(photos.id, [])
    expect(store.list().map((p) => p.name)).toEqual(['Default'])
  })
})
