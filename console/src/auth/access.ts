import type { Role } from '@/api/types'

// Who sees which staff-console page, mirroring the hub's policies (hub/VideoLink.Hub/Security/Roles.cs). The hub
// enforces them; the console only keeps people away from pages that would answer 403.

/** Policies.RoomHosts: open rooms, chair them, book meetings. */
export const ROOM_HOSTS: readonly Role[] = ['DistrictAdmin', 'BranchAdmin', 'OrgStaff', 'EducationManager', 'Expert', 'StationAttendant']
/** Policies.NoticeSenders: send notices and read their receipts. */
export const NOTICE_SENDERS: readonly Role[] = ['DistrictAdmin', 'BranchAdmin', 'OrgStaff', 'EducationManager']
/** Policies.DirectoryWriters: org units, sites, endpoints, people, agent and kiosk credentials. */
export const DIRECTORY_WRITERS: readonly Role[] = ['DistrictAdmin', 'BranchAdmin']
/** Policies.UserAdmins. */
export const USER_ADMINS: readonly Role[] = ['DistrictAdmin', 'BranchAdmin']
/** Staff who follow meetings and attendance (everyone but members and experts). */
export const MEETING_STAFF: readonly Role[] = ['DistrictAdmin', 'BranchAdmin', 'OrgStaff', 'EducationManager', 'StationAttendant']

/** Page (route name) → roles that may open it; pages not listed are open to every signed-in user. */
export const PAGE_ROLES: Record<string, readonly Role[]> = {
  rooms: ROOM_HOSTS,
  room: ROOM_HOSTS,
  bookings: MEETING_STAFF,
  attendance: MEETING_STAFF,
  'occurrence-attendance': MEETING_STAFF,
  users: USER_ADMINS,
  people: MEETING_STAFF,
  'admin-org-units': DIRECTORY_WRITERS,
  'admin-sites': DIRECTORY_WRITERS,
  'admin-endpoints': DIRECTORY_WRITERS,
}

export function canOpen(page: string, role: string | null | undefined): boolean {
  const allowed = PAGE_ROLES[page]
  if (!allowed) return true
  return role != null && (allowed as readonly string[]).includes(role)
}

export function hasAnyRole(role: string | null | undefined, roles: readonly Role[]): boolean {
  return role != null && (roles as readonly string[]).includes(role)
}
