import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router'
import { auth } from '@/auth/store'
import { api, onSessionExpired } from '@/api/client'
import { directoryApi } from '@/api/directory'
import ConsoleLayout from '@/layouts/ConsoleLayout.vue'
import { stopLive } from '@/live/console'
import { canOpen } from '@/auth/access'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (document title and header). */
    title?: string
    /** Reachable without signing in (login, kiosk: the kiosk uses its own token). */
    public?: boolean
    /** Which side-menu entry is highlighted. */
    menu?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: 'auth.title' } },
  { path: '/kiosk', name: 'kiosk', component: () => import('@/views/apps/KioskView.vue'), meta: { public: true, title: 'nav.kiosk' } },
  { path: '/expert', name: 'expert', component: () => import('@/views/apps/ExpertView.vue'), meta: { title: 'nav.expert' } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', redirect: { name: 'dashboard' } },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: 'nav.dashboard', menu: '/dashboard' } },
      { path: 'org', name: 'org', component: () => import('@/views/OrgSitesView.vue'), meta: { title: 'nav.org', menu: '/org' } },
      { path: 'sites/:id', name: 'site', component: () => import('@/views/SiteDetailView.vue'), props: true, meta: { title: 'nav.siteDetail', menu: '/org' } },
      { path: 'devices', name: 'devices', component: () => import('@/views/DevicesView.vue'), meta: { title: 'nav.devices', menu: '/devices' } },
      { path: 'meetings', redirect: { name: 'rooms' } },
      { path: 'rooms', name: 'rooms', component: () => import('@/views/meetings/RoomsView.vue'), meta: { title: 'nav.rooms', menu: '/rooms' } },
      { path: 'rooms/:id', name: 'room', component: () => import('@/views/meetings/RoomView.vue'), props: true, meta: { title: 'nav.room', menu: '/rooms' } },
      { path: 'bookings', name: 'bookings', component: () => import('@/views/meetings/BookingsView.vue'), meta: { title: 'nav.bookings', menu: '/bookings' } },
      {
        path: 'bookings/:id/attendance',
        name: 'occurrence-attendance',
        component: () => import('@/views/meetings/OccurrenceAttendanceView.vue'),
        props: (route) => ({ id: route.params.id, start: String(route.query.start ?? '') }),
        meta: { title: 'nav.occurrenceAttendance', menu: '/attendance' },
      },
      { path: 'terminal', name: 'terminal', component: () => import('@/views/meetings/TerminalView.vue'), meta: { title: 'nav.terminal', menu: '/terminal' } },
      { path: 'notices', name: 'notices', component: () => import('@/views/meetings/NoticesView.vue'), meta: { title: 'nav.notices', menu: '/notices' } },
      { path: 'attendance', name: 'attendance', component: () => import('@/views/meetings/AttendanceView.vue'), meta: { title: 'nav.attendance', menu: '/attendance' } },
      { path: 'consultations', name: 'consultations', component: () => import('@/views/ConsultationsView.vue'), meta: { title: 'nav.consultations', menu: '/consultations' } },
      { path: 'admin', redirect: { name: 'users' } },
      { path: 'admin/users', name: 'users', component: () => import('@/views/admin/UsersView.vue'), meta: { title: 'nav.users', menu: '/admin/users' } },
      { path: 'admin/org-units', name: 'admin-org-units', component: () => import('@/views/admin/OrgUnitsAdminView.vue'), meta: { title: 'nav.orgUnits', menu: '/admin/org-units' } },
      { path: 'admin/sites', name: 'admin-sites', component: () => import('@/views/admin/SitesAdminView.vue'), meta: { title: 'nav.sitesAdmin', menu: '/admin/sites' } },
      { path: 'admin/endpoints', name: 'admin-endpoints', component: () => import('@/views/admin/EndpointsAdminView.vue'), meta: { title: 'nav.endpoints', menu: '/admin/endpoints' } },
      { path: 'admin/people', name: 'people', component: () => import('@/views/admin/PeopleView.vue'), meta: { title: 'nav.people', menu: '/admin/people' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

const directory = directoryApi(api)

function loginRedirect(to: RouteLocationNormalized, reason?: string) {
  const query: Record<string, string> = {}
  if (to.fullPath !== '/' && to.name !== 'login') query.redirect = to.fullPath
  if (reason) query.reason = reason
  return { name: 'login', query }
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!auth.isAuthenticated.value) return loginRedirect(to, auth.state.token ? 'expired' : undefined)
  if (!auth.state.user) {
    try {
      auth.setUser(await directory.me())
    } catch {
      // 401 already cleared the session; anything else: let the page load and show its own error.
      if (!auth.isAuthenticated.value) return loginRedirect(to, 'expired')
    }
  }
  // A page the role may not use: back to the dashboard rather than a page full of 403s.
  if (typeof to.name === 'string' && auth.state.user && !canOpen(to.name, auth.state.user.role)) return { name: 'dashboard' }
  return true
})

// A 401 from any API call while signed in: the token expired or was revoked.
onSessionExpired(() => {
  void stopLive()
  const current = router.currentRoute.value
  if (current.meta.public) return
  void router.replace(loginRedirect(current, 'expired'))
})
