import { onBeforeUnmount, onMounted } from 'vue'
import { onBeforeRouteLeave, onBeforeRouteUpdate } from 'vue-router'
import { useSetupStore } from '../stores/setup.ts'

/** S10: leaving the page (another route, closing or reloading the window) ends the Facebook session. */
export function useEndLoginOnLeave() {
  const setup = useSetupStore()
  const onPageHide = () => void setup.end()
  onMounted(() => window.addEventListener('pagehide', onPageHide))
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', onPageHide)
    void setup.reset()
  })
  onBeforeRouteLeave(() => {
    void setup.reset()
  })
  // Same page, another integration (/platforms/a → /platforms/b): a different page to the person.
  onBeforeRouteUpdate(() => {
    void setup.reset()
  })
}
