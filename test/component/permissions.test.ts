import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src-renderer/src/App.vue'
import { mountWithParley, settle } from './mountWithParley.ts'
import { agentSession } from './scriptedParley.ts'
import { ParleyError } from '../../src-main/core/contract/index.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the supervisor’s permission', () => {
  it('a supervisor sees Admin', async () => {
    const { wrapper } = await mountWithParley(App)
    expect(wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).toEqual(['Inbox', 'Admin'])
  })

  it('an agent sees no Admin, and /admin addresses lead to the Inbox', async () => {
    const { wrapper, router, parley } = await mountWithParley(App, { script: agentSession })
    expect(wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).toEqual(['Inbox'])
    for (const path of ['/admin', '/admin/message/platforms', '/admin/message/platforms/new', '/admin/message/platforms/int-1', '/admin/message/supported-content']) {
      await router.push(path)
      await settle()
      expect(router.currentRoute.value.name).toBe('inbox')
    }
    expect(wrapper.find('h1').text()).toBe('Inbox')
    // Nothing of Admin was even asked for.
    expect(parley.calls.map((call) => call.name)).not.toContain('integrations.list')
  })

  it('without a session (main refused) Admin stays closed', async () => {
    const { wrapper, router } = await mountWithParley(App, { script: { 'session.get': () => Promise.reject(new ParleyError('forbidden', 'No.')) } })
    await router.push('/admin/message/platforms')
    await settle()
    expect(router.currentRoute.value.name).toBe('inbox')
    expect(wrapper.findAll('nav[aria-label="Main"] a').map((a) => a.text())).toEqual(['Inbox'])
  })
})
