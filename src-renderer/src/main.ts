import { createPinia } from 'pinia'
import { createApp } from 'vue'
import type { Language } from '../../src-main/core/contract/index.ts'
import App from './App.vue'
import { startUp } from './api/startup.ts'
import { createParleyI18n } from './i18n/index.ts'
import { CONNECTION, I18N } from './injectionKeys.ts'
import { ConversationThreadView, createParleyRouter, opensOnInbox } from './router.ts'
import SignInApp from './signIn/SignInApp.vue'
import { useAppStore } from './stores/app.ts'
import { useInboxStore } from './stores/inbox.ts'
import { useMetaAppStore } from './stores/metaApp.ts'
import { usePreferencesStore } from './stores/preferences.ts'
import { useSessionStore } from './stores/session.ts'
import './styles/main.css'

const startup = await startUp()

if (startup.kind === 'signIn') {
  // Nobody is signed in yet: only the sign-in form, in the browser's language.
  const language: Language = navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en'
  document.documentElement.lang = language
  createApp(SignInApp, { desktop: startup.connection, view: startup.view, reason: startup.reason }).use(createParleyI18n(language)).mount('#app')
} else {
  const { connection } = startup
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
  // Once the window is idle after its first frame, so that neither the list nor input waits for it.
  requestIdleCallback(() => void ConversationThreadView(), { timeout: 2_000 })
}
