import { onBeforeUnmount, ref } from 'vue'

/** The current time, updated every `intervalMs` (a minute by default) while the component lives. */
export function useNow(intervalMs = 60_000) {
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), intervalMs)
  onBeforeUnmount(() => clearInterval(timer))
  return now
}
