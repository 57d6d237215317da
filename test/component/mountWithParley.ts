import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import type { Component } from 'vue'
import { createApiClient } from '../../src-renderer/src/api/client.ts'
import type { Connection, ConnectionState } from '../../src-renderer/src/api/index.ts'
import { createParleyI18n } from '../../src-renderer/src/i18n/index.ts'
import { CONNECTION, I18N } from '../../src-renderer/src/injectionKeys.ts'
import { createParleyRouter } from '../../src-renderer/src/router.ts'
import { createCoreBridge } from '../fixtures/coreBridge.ts'

/** Mounts a component the way main.ts assembles the app, talking to Parley's real core. */
export async function mountWithParley(component: Component, options: { settings?: Record<string, unknown>; path?: string } = {}) {
  const core = createCoreBridge(options.settings)
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  const connection: Connection = {
    api: createApiClient(core.bridge),
    transport: 'websocket',
    onConnection(listener) {
      connectionListeners.add(listener)
      listener('connected')
      return () => connectionListeners.delete(listener)
    },
  }
  const i18n = createParleyI18n()
  const router = createParleyRouter()
  await router.push(options.path ?? '/inbox')
  const wrapper = mount(component, {
    attachTo: document.body,
    global: { plugins: [createPinia(), i18n, router], provide: { [CONNECTION as symbol]: connection, [I18N as symbol]: i18n } },
  })
  const setConnection = (state: ConnectionState) => connectionListeners.forEach((listener) => listener(state))
  return { wrapper, core, router, i18n, setConnection }
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
