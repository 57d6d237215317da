import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connect } from './api/index.ts'
import { createParleyI18n } from './i18n/index.ts'
import { CONNECTION, I18N } from './injectionKeys.ts'
import { createParleyRouter, opensOnInbox } from './router.ts'
import { useAppStore } from './stores/app.ts'
import { useInboxStore } from './stores/inbox.ts'
import { useMetaAppStore } from './stores/metaApp.ts'
import { usePreferencesStore } from './stores/preferences.ts'
import { useSessionStore } from './stores/session.ts'
import './styles/main.css'

const connection = connect()
const i18n = createParleyI18n()
const pinia = createPinia()
const app = createApp(App).provide(CONNECTION, connection).provide(I18N, i18n).use(pinia).use(i18n)

// Show the window in the person's language when main answers promptly; never wait on it for long.
const appStore = useAppStore(pinia)
// The session decides whether Admin is shown (the router's guard waits for it on its own).
const ready = Promise.all([usePreferencesStore(pinia).load(), appStore.load(), useSessionStore(pinia).ensureLoaded()]).catch((error: Error) => {
  appStore.problem = error.message
})
// The window opens on the inbox: its first page is asked for now, not once the view has mounted.
if (opensOnInbox(location.hash)) void useInboxStore(pinia).load()
// Which Meta app is used, for the status bar: not worth a start-up failure when it is missing.
useMetaAppStore(pinia).load().catch(() => {})
// The router comes after the stores so that its first navigation finds the session store ready to ask.
app.use(createParleyRouter())
await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 1500))])
app.mount('#app')
