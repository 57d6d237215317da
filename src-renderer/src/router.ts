import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import AdminView from './views/AdminView.vue'
import AdminHomeView from './views/AdminHomeView.vue'
import InboxView from './views/InboxView.vue'
import PlatformsView from './views/PlatformsView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inbox' },
  { path: '/inbox', name: 'inbox', component: InboxView },
  {
    path: '/admin',
    component: AdminView,
    children: [
      { path: '', name: 'admin', component: AdminHomeView },
      { path: 'message/platforms', name: 'platforms', component: PlatformsView },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/inbox' },
]

// Hash history: the desktop window loads from file://, and in the browser the ?key= stays in place.
export function createParleyRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
