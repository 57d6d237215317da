import { ParleyError } from '../contract/errors.ts'
import type { SandboxAction, SandboxPanelState } from '../contract/sandboxPanel.ts'
import type { MetaRuntime } from '../meta/metaRuntime.ts'

interface SandboxSeedState {
  now: string
  pages: { id: string; name: string; instagram: { id: string; username: string; linked: boolean; professional: boolean } | null }[]
  customers: { id: string; name: string; username: string; private: boolean }[]
}

export interface RecentCustomerMessage {
  mid: string
  from: string
  to: string
  preview: string
  at: string
}

/**
 * The "Sandbox" view: a person acts as a customer, or moves the clock. Main speaks to the
 * sandbox's control API on the window's behalf (the window's CSP keeps it to Parley itself).
 */
export function createSandboxPanelService(deps: { meta: MetaRuntime; recentCustomerMessages: () => Promise<RecentCustomerMessage[]> }) {
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const base = deps.meta.backend().sandboxUrl
    if (!base) throw new ParleyError('not_sandbox', 'Parley is connected to Meta, not the sandbox: there is no customer to act as.')
    const response = await fetch(`${base}/__sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json()) as T & { error?: { message?: string } }
    if (!response.ok) throw new ParleyError('sandbox_refused', answer.error?.message ?? `The sandbox refused (${response.status}).`)
    return answer
  }

  return {
    async state(): Promise<SandboxPanelState> {
      const seed = await control<SandboxSeedState>('GET', 'state')
      return {
        now: seed.now,
        accounts: seed.pages.flatMap((page) =>
          page.instagram?.linked && page.instagram.professional ? [{ id: page.instagram.id, username: page.instagram.username, pageName: page.name }] : [],
        ),
        customers: seed.customers.map(({ id, name, username, private: isPrivate }) => ({ id, name, username, private: isPrivate })),
        recentCustomerMessages: await deps.recentCustomerMessages(),
      }
    },

    async act(action: SandboxAction): Promise<{ delivered: boolean; note: string | null }> {
      switch (action.action) {
        case 'unsend':
          await control('POST', 'unsend', { mid: action.mid })
          return { delivered: true, note: null }
        case 'react':
          await control('POST', 'react', { mid: action.mid, reaction: action.reaction })
          return { delivered: true, note: null }
        default: {
          const { to, from } = action
          const body =
            action.action === 'text'
              ? { to, from, text: action.text }
              : action.action === 'image'
                ? { to, from, attachment: { type: 'image' } }
                : action.action === 'story_mention'
                  ? { to, from, story_mention: true }
                  : { to, from, text: action.text, reply_to: { story: true } }
          const result = await control<{ delivered: boolean; reason?: string }>('POST', 'inbound', body)
          return { delivered: result.delivered, note: result.delivered ? null : (result.reason ?? null) }
        }
      }
    },

    async advanceClock(advance: string): Promise<{ now: string }> {
      const result = await control<{ now: string }>('POST', 'clock', { advance })
      // Reply windows are counted on the sandbox's clock: follow it at once.
      await deps.meta.syncClock()
      return { now: result.now }
    },
  }
}
export type SandboxPanelService = ReturnType<typeof createSandboxPanelService>
