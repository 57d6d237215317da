import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import type { Component } from 'vue'
import type { ParleyBridge } from '../../src-main/core/contract/index.ts'
import { createApiClient } from '../../src-renderer/src/api/client.ts'
import type { Connection, ConnectionState } from '../../src-renderer/src/api/index.ts'
import { createParleyI18n } from '../../src-renderer/src/i18n/index.ts'
import type { Language } from '../../src-main/core/contract/index.ts'
import { CONNECTION, I18N } from '../../src-renderer/src/injectionKeys.ts'
import { createParleyRouter } from '../../src-renderer/src/router.ts'
import { useMetaAppStore } from '../../src-renderer/src/stores/metaApp.ts'
import { useSessionStore } from '../../src-renderer/src/stores/session.ts'
import { createCoreBridge } from '../fixtures/coreBridge.ts'
import { createScriptedParley, type Script } from './scriptedParley.ts'

export interface MountOptions {
  settings?: Record<string, unknown>
  path?: string
  /** Replies for the supervisor's commands; the defaults are a supervisor with no integrations. */
  script?: Script
  transport?: Connection['transport']
  locale?: Language
}

/**
 * Mounts a component the way main.ts assembles the app. App info and settings come from Parley's
 * real core; the integration commands from a script, so each test decides what main answers.
 */
export async function mountWithParley(component: Component, options: MountOptions = {}) {
  const core = await createCoreBridge(options.settings)
  const parley = createScriptedParley(options.script, core.bridge)
  const bridge: ParleyBridge = {
    invoke: parley.bridge.invoke,
    on(listener) {
      const offCore = core.bridge.on(listener)
      const offScript = parley.bridge.on(listener)
      return () => (offCore(), offScript())
    },
  }
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  const connection: Connection = {
    api: createApiClient(bridge),
    transport: options.transport ?? 'websocket',
    onConnection(listener) {
      connectionListeners.add(listener)
      listener('connected')
      return () => connectionListeners.delete(listener)
    },
  }
  const i18n = createParleyI18n(options.locale)
  const pinia = createPinia()
  const router = createParleyRouter()
  // Views past the inbox load when first visited; a test has them at once, as a warm window does.
  for (const record of router.getRoutes()) {
    for (const [name, view] of Object.entries(record.components ?? {})) {
      if (typeof view === 'function') record.components![name] = ((await (view as () => Promise<{ default: Component }>)()).default)
    }
  }
  // The Inbox needs no session: the guarded pages are reached only once the app (and pinia) exist.
  await router.push('/inbox')
  const wrapper = mount(component, {
    attachTo: document.body,
    global: { plugins: [pinia, i18n, router], provide: { [CONNECTION as symbol]: connection, [I18N as symbol]: i18n } },
  })
  // What main.ts loads at start.
  await Promise.all([useSessionStore(pinia).ensureLoaded().catch(() => {}), useMetaAppStore(pinia).load().catch(() => {})])
  if (options.path && options.path !== '/inbox') await router.push(options.path)
  await settle()
  const setConnection = (state: ConnectionState) => connectionListeners.forEach((listener) => listener(state))
  return { wrapper, core, parley, router, i18n, pinia, setConnection }
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

/** Lets chains of replies (a call whose answer triggers the next call) run to the end. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await flush()
}
