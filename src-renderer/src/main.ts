import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connect } from './api/index.ts'
import { createParleyI18n } from './i18n/index.ts'
import { CONNECTION, I18N } from './injectionKeys.ts'
import { createParleyRouter } from './router.ts'
import { useAppStore } from './stores/app.ts'
import { usePreferencesStore } from './stores/preferences.ts'
import './styles/main.css'

const connection = connect()
const i18n = createParleyI18n()
const pinia = createPinia()
const app = createApp(App).provide(CONNECTION, connection).provide(I18N, i18n).use(pinia).use(i18n).use(createParleyRouter())

// Show the window in the person's language when main answers promptly; never wait on it for long.
const appStore = useAppStore(pinia)
const ready = Promise.all([usePreferencesStore(pinia).load(), appStore.load()]).catch((error: Error) => {
  appStore.problem = error.message
})
await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 1500))])
app.mount('#app')
