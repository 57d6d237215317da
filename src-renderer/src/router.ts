import { createRouter, createWebHashHistory, type Router, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './stores/session.ts'
import AdminHomeView from './views/AdminHomeView.vue'
import ApiKeysView from './views/ApiKeysView.vue'
import AdminView from './views/AdminView.vue'
import ConnectionView from './views/ConnectionView.vue'
import ContentProfilesView from './views/ContentProfilesView.vue'
import ConversationThreadView from './views/ConversationThreadView.vue'
import EventSubscriptionsView from './views/EventSubscriptionsView.vue'
import DiagnosticsView from './views/DiagnosticsView.vue'
import InboxHomeView from './views/InboxHomeView.vue'
import InboxView from './views/InboxView.vue'
import IntegrationDetailView from './views/IntegrationDetailView.vue'
import NewIntegrationView from './views/NewIntegrationView.vue'
import PeopleView from './views/PeopleView.vue'
import PlatformsView from './views/PlatformsView.vue'
import MessageRoutingView from './views/MessageRoutingView.vue'
import QueueActivityView from './views/QueueActivityView.vue'
import QueuesView from './views/QueuesView.vue'
import SandboxView from './views/SandboxView.vue'

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
