import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { CommandInput, DeliveryView, SubscriptionView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

/** I2: event subscriptions (supervisors), kept current by `subscriptions.changed` — also when Parley turns one off. */
export const useSubscriptionsStore = defineStore('subscriptions', () => {
  const { api } = inject(CONNECTION)!
  const subscriptions = ref<SubscriptionView[]>([])
  const loaded = ref(false)

  async function load() {
    subscriptions.value = await api.call('subscriptions.list')
    loaded.value = true
  }
  api.on('subscriptions.changed', () => {
    if (loaded.value) load().catch(() => {})
  })

  const replace = (next: SubscriptionView) => (subscriptions.value = subscriptions.value.map((s) => (s.id === next.id ? next : s)))

  /** The signing secret is in this answer only: the view shows it once. */
  async function create(input: CommandInput<'subscriptions.create'>) {
    const created = await api.call('subscriptions.create', input)
    subscriptions.value = [...subscriptions.value.filter((s) => s.id !== created.subscription.id), created.subscription]
    return created
  }

  return {
    subscriptions,
    loaded,
    load,
    create,
    setEnabled: async (id: string, enabled: boolean) => replace(await api.call('subscriptions.setEnabled', { id, enabled })),
    remove: async (id: string) => {
      await api.call('subscriptions.delete', { id })
      subscriptions.value = subscriptions.value.filter((s) => s.id !== id)
    },
    deliveries: (id: string): Promise<DeliveryView[]> => api.call('subscriptions.deliveries', { id }),
  }
})
