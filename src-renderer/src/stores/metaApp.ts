import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { MetaAppView, WebhookView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/**
 * Which Meta app Parley talks to (the sandbox's or the supervisor's own), where its secret lives,
 * and — in live mode — the public webhook address and how messages arrive.
 */
export const useMetaAppStore = defineStore('metaApp', () => {
  const { api } = inject(CONNECTION)!
  const view = ref<MetaAppView | null>(null)
  const webhook = ref<WebhookView | null>(null)

  // A mode change reported by main means the app changed elsewhere (another window): ask again.
  api.on('app.status', (status) => {
    if (view.value && status.phase === 'ready' && status.mode !== view.value.mode) void load().catch(() => {})
  })

  async function load() {
    view.value = await api.call('metaApp.get')
  }

  async function save(appId: string, appSecret: string) {
    view.value = await api.call('metaApp.set', { appId, appSecret })
  }

  async function clear() {
    view.value = await api.call('metaApp.clear')
  }

  async function loadWebhook() {
    webhook.value = await api.call('metaApp.webhook')
  }

  async function saveWebhook(publicUrl: string, port: number) {
    webhook.value = await api.call('metaApp.setWebhook', { publicUrl, port })
  }

  return { view, webhook, load, save, clear, loadWebhook, saveWebhook }
})
