import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { ParleyError, type ContentProfileView } from '../../src-main/core/contract/index.ts'
import { mountWithParley, settle } from './mountWithParley.ts'
import { button, field } from './queries.ts'
import { defaultProfile, type Script } from './scriptedParley.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

const PATH = '/admin/message/supported-content'
const travel = defaultProfile({ id: 'travel', name: 'Travel', builtIn: false, outbound: ['image/*'], maxBytes: 8 * 1024 * 1024, usedBy: ['Hotel DMs'] })

async function mountProfiles(extra: Script = {}) {
  const profiles: ContentProfileView[] = [defaultProfile(), travel]
  return mountWithParley(App, {
    path: PATH,
    script: {
      'contentProfiles.list': () => profiles,
      'contentProfiles.save': (draft) => ({ id: draft.id ?? 'new-1', builtIn: false, usedBy: [], ...draft }),
      ...extra,
    },
  })
}

describe('Supported content', () => {
  it('is linked under Message in the Admin sidebar and lists the profiles, the default read-only', async () => {
    const { wrapper } = await mountProfiles()
    const links = wrapper.findAll('nav[aria-label="Admin sections"] a').map((a) => a.text())
    expect(links).toEqual(['Platforms', 'Supported content', 'Message routing', 'Queues', 'Queue activity', 'Diagnostics'])
    expect(wrapper.find('.admin-content h2').text()).toBe('Supported content')
    const [builtIn, own] = wrapper.findAll('[aria-label="Content profiles"] > li')
    expect(builtIn!.find('.badge').text()).toBe('Default')
    expect(builtIn!.text()).toContain('*/*')
    expect(builtIn!.text()).toContain('image/jpeg, image/png, image/gif')
    expect(builtIn!.text()).toContain('25 MB')
    expect(builtIn!.findAll('button')).toHaveLength(0)
    expect(own!.text()).toContain('8 MB')
    expect(own!.text()).toContain('Hotel DMs')
    expect(own!.findAll('button').map((b) => b.text())).toEqual(['Edit', 'Delete'])
  })

  it('points at each wrong field before saving', async () => {
    const { wrapper, parley } = await mountProfiles()
    await button(wrapper, 'New profile').trigger('click')
    await settle()
    await field(wrapper, 'Name').setValue('  ')
    await field(wrapper, 'Inbound types').setValue('image/*\nvideo/mp4\nnot a type')
    await field(wrapper, 'Outbound types').setValue('image/png')
    await field(wrapper, 'Maximum size (MB)').setValue('30')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('contentProfiles.save')).toEqual([])
    const errorOf = (label: string) => {
      const control = field(wrapper, label)
      expect(control.attributes('aria-invalid')).toBe('true')
      return wrapper.find(`#${control.attributes('aria-describedby')!.split(' ').at(-1)}`).text()
    }
    expect(errorOf('Name')).toBe('Give the profile a name.')
    expect(errorOf('Inbound types')).toBe('Line 3: “not a type” is not a MIME type. Use a type such as image/png, or a wildcard such as image/*.')
    expect(field(wrapper, 'Outbound types').attributes('aria-invalid')).toBeUndefined()
    expect(errorOf('Maximum size (MB)')).toBe('Enter a size greater than 0 and at most 25 MB.')
    expect(document.activeElement).toBe(field(wrapper, 'Name').element)
  })

  it('saves a new profile with its size in bytes', async () => {
    const { wrapper, parley } = await mountProfiles()
    await button(wrapper, 'New profile').trigger('click')
    await settle()
    await field(wrapper, 'Name').setValue('Images only')
    await field(wrapper, 'Inbound types').setValue('image/*\n\n  IMAGE/PNG  ')
    await field(wrapper, 'Outbound types').setValue('image/jpeg')
    await field(wrapper, 'Maximum size (MB)').setValue('2,5')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('contentProfiles.save')).toEqual([{ name: 'Images only', inbound: ['image/*', 'image/png'], outbound: ['image/jpeg'], maxBytes: 2621440 }])
    expect(wrapper.find('.admin-content [role="status"]').text()).toBe('The profile “Images only” was saved.')
    expect(wrapper.find('[data-profile="new-1"]').text()).toContain('2.5 MB')
    expect(wrapper.find('form').exists()).toBe(false)
  })

  it('edits an existing profile under its id', async () => {
    const { wrapper, parley } = await mountProfiles()
    await button(wrapper.find('[data-profile="travel"]'), 'Edit: Travel').trigger('click')
    await settle()
    expect(field(wrapper, 'Name').element.value).toBe('Travel')
    expect(field(wrapper, 'Maximum size (MB)').element.value).toBe('8')
    await field(wrapper, 'Outbound types').setValue('image/*\nvideo/mp4')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(parley.inputsOf('contentProfiles.save')).toEqual([{ id: 'travel', name: 'Travel', inbound: ['*/*'], outbound: ['image/*', 'video/mp4'], maxBytes: 8388608 }])
  })

  it('deletes only after confirming, and says plainly when the profile is in use', async () => {
    const { wrapper, parley } = await mountProfiles({
      'contentProfiles.delete': () => Promise.reject(new ParleyError('profile_in_use', 'This profile is used by Hotel DMs. Choose another profile there first.')),
    })
    await button(wrapper.find('[data-profile="travel"]'), 'Delete: Travel').trigger('click')
    await settle()
    const dialog = wrapper.find('dialog[open]')
    expect(dialog.text()).toContain('Delete “Travel”?')
    expect(parley.inputsOf('contentProfiles.delete')).toEqual([])
    await button(dialog, 'Delete').trigger('click')
    await settle()
    expect(parley.inputsOf('contentProfiles.delete')).toEqual([{ id: 'travel' }])
    expect(wrapper.find('[role="alert"]').text()).toBe('The profile could not be deleted: This profile is used by Hotel DMs. Choose another profile there first.')
    expect(wrapper.find('[data-profile="travel"]').exists()).toBe(true)
  })
})
