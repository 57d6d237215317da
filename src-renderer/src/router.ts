import { createRouter, createWebHashHistory, type Router, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './stores/session.ts'
import InboxHomeView from './views/InboxHomeView.vue'
import InboxView from './views/InboxView.vue'

// The window opens on the inbox's list, which is in the first script; the rest loads when first
// visited. A conversation is what a person opens next: main.ts fetches it once the list is shown.
export const ConversationThreadView = () => import('./views/ConversationThreadView.vue')
const AdminView = () => import('./views/AdminView.vue')
const AdminHomeView = () => import('./views/AdminHomeView.vue')
const PlatformsView = () => import('./views/PlatformsView.vue')
const NewIntegrationView = () => import('./views/NewIntegrationView.vue')
const IntegrationDetailView = () => import('./views/IntegrationDetailView.vue')
const ContentProfilesView = () => import('./views/ContentProfilesView.vue')
const SandboxView = () => import('./views/SandboxView.vue')
const ConnectionView = () => import('./views/ConnectionView.vue')
const PeopleView = () => import('./views/PeopleView.vue')
const ApiKeysView = () => import('./views/ApiKeysView.vue')
const EventSubscriptionsView = () => import('./views/EventSubscriptionsView.vue')
const QueuesView = () => import('./views/QueuesView.vue')
const QueueActivityView = () => import('./views/QueueActivityView.vue')
const MessageRoutingView = () => import('./views/MessageRoutingView.vue')
const DiagnosticsView = () => import('./views/DiagnosticsView.vue')

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for people holding messaging:instagramIntegration:all (the supervisor). */
    supervisor?: boolean
  }
}

/** Whether the window opens on the inbox at this address (`''`, `#/`, `#/inbox`, `#/inbox/…`). */
export const opensOnInbox = (hash: string) => /^(#\/?)?(inbox(\/.*)?)?$/.test(hash)

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inbox' },
  {
    // A1: the list stays while conversations open beside it.
    path: '/inbox',
    component: InboxView,
    children: [
      { path: '', name: 'inbox', component: InboxHomeView },
      { path: ':conversationId', name: 'conversation', component: ConversationThreadView, props: true },
    ],
  },
  // Item 9: shown in the navigation only in sandbox mode; the view says so in live mode.
  { path: '/sandbox', name: 'sandbox', component: SandboxView },
  // The desktop app's choice: this computer only, or a team server.
  { path: '/connection', name: 'connection', component: ConnectionView },
  {
    path: '/admin',
    component: AdminView,
    meta: { supervisor: true },
    children: [
      { path: '', name: 'admin', component: AdminHomeView },
      {
        // A path-only parent: "Platforms" in the sidebar stays marked on its sub-pages.
        path: 'message/platforms',
        children: [
          { path: '', name: 'platforms', component: PlatformsView },
          { path: 'new', name: 'integration-new', component: NewIntegrationView },
          { path: ':id', name: 'integration', component: IntegrationDetailView, props: true },
        ],
      },
      { path: 'message/supported-content', name: 'supported-content', component: ContentProfilesView },
      // R1: each integration's rules and Default queue, and the threading window (R4).
      { path: 'message/routing', name: 'message-routing', component: MessageRoutingView },
      // R1, R6: on a workstation too, where the local user is the one agent.
      { path: 'contact-center/queues', name: 'queues', component: QueuesView },
      { path: 'contact-center/activity', name: 'queue-activity', component: QueueActivityView },
      // P2: only on a Parley server; a workstation has one user.
      { path: 'team/people', name: 'people', component: PeopleView },
      // I1–I2: only on a Parley server.
      { path: 'team/api-keys', name: 'api-keys', component: ApiKeysView },
      { path: 'team/event-subscriptions', name: 'event-subscriptions', component: EventSubscriptionsView },
      // T1–T4: checks, event log, bundles, replay.
      { path: 'troubleshooting/diagnostics', name: 'diagnostics', component: DiagnosticsView },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/inbox' },
]

/** Admin is the supervisor's: anyone else who reaches an /admin address is sent to the Inbox. */
export function guardAdmin(router: Router) {
  router.beforeEach(async (to) => {
    if (!to.matched.some((record) => record.meta.supervisor)) return true
    const session = useSessionStore()
    try {
      await session.ensureLoaded()
    } catch {
      // Without a session there is no permission to prove.
      return { name: 'inbox' }
    }
    return session.canManageIntegrations ? true : { name: 'inbox' }
  })
  return router
}

// Hash history: the desktop window loads from file://, and in the browser the ?key= stays in place.
export function createParleyRouter() {
  return guardAdmin(createRouter({ history: createWebHashHistory(), routes }))
}
