// Shapes of the hub's directory API (issue 2). Field names match the hub's JSON (camelCase).

export const SITE_KINDS = ['DistrictCentre', 'TownshipCentre', 'VillageKiosk', 'MeetingRoom', 'ExpertStation'] as const
export type SiteKind = (typeof SITE_KINDS)[number]

export const ROLES = [
  'DistrictAdmin',
  'OrgStaff',
  'BranchAdmin',
  'StationAttendant',
  'Expert',
  'EducationManager',
  'Member',
] as const
export type Role = (typeof ROLES)[number]

/** Roles the hub lets manage users (Policies.UserAdmins). */
export const USER_ADMIN_ROLES: Role[] = ['DistrictAdmin', 'BranchAdmin']

export interface LoginRequest {
  username: string
  password: string
}

export interface LoginResponse {
  token: string
  user?: CurrentUser
  [extra: string]: unknown
}

export interface CurrentUser {
  id: string
  username: string
  displayName: string
  role: Role | string
  orgUnitId: string
  orgUnitName?: string
}

export interface OrgUnitNode {
  id: string
  code?: string
  name: string
  kind: string
  children?: OrgUnitNode[]
}

export interface Site {
  id: string
  code?: string
  name: string
  kind: SiteKind | string
  orgUnitId: string
  address?: string | null
  /** Service categories an expert station serves (category codes). */
  categories?: string[]
  online: boolean
}

export interface Endpoint {
  id: string
  siteId: string
  kind: 'Sip' | 'Web' | string
  sipUser?: string | null
  displayName: string
  online: boolean
}

export interface Device {
  id: string
  siteId: string
  kind: string
  driver: string
  name: string
  status: string
}

export interface UserSummary {
  id: string
  username: string
  displayName: string
  role: Role | string
  orgUnitId: string
  orgUnitName?: string | null
  /** Locked out after repeated failed logins. */
  locked?: boolean
}

export interface CreateUserRequest {
  username: string
  password: string
  displayName: string
  role: Role
  orgUnitId: string
}

export interface Person {
  id: string
  name: string
  orgUnitId: string
  idNumberMasked?: string | null
  phoneMasked?: string | null
}

export interface ConsultationCategory {
  code: string
  name: string
  nameEn?: string | null
  icon?: string | null
}

/** RFC 7807 / RFC 9457 problem details as ASP.NET Core writes them. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  /** Validation problems: field name → messages. */
  errors?: Record<string, string[] | string>
  [extension: string]: unknown
}
