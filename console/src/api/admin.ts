import type { ApiClient } from './http'
import type { Role } from './types'

// Directory administration (hub/VideoLink.Hub/Api/{OrgUnits,Sites,Endpoints,People,Users}Api.cs) and the kiosk
// credential (`POST /api/sites/{id}/kiosk-token`, issue 7). Writes need DirectoryWrite (district and branch admins).

export const ORG_UNIT_KINDS = ['District', 'Department', 'Township', 'Subdistrict', 'Village', 'Community', 'PartyCommittee', 'PartyBranch'] as const
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number]

export const ENDPOINT_KINDS = ['Sip', 'Web'] as const
export type EndpointKind = (typeof ENDPOINT_KINDS)[number]

/** The hub's minimum SIP password length (EndpointsApi.MinimumSipPasswordLength). */
export const MIN_SIP_PASSWORD = 8

export interface OrgUnitRow {
  id: string
  parentId: string | null
  code: string
  name: string
  kind: OrgUnitKind | string
  depth: number
}

export interface CreateOrgUnitRequest {
  parentId: string
  code: string
  name: string
  kind: OrgUnitKind
}

export interface SiteRequest {
  code?: string
  name?: string
  kind?: string
  orgUnitId?: string
  address?: string | null
  categories?: string[]
}

export interface EndpointRow {
  id: string
  siteId: string
  kind: EndpointKind | string
  sipUser: string | null
  displayName: string
  /** The SIP password is write-only: the hub says only whether one is set. */
  hasPassword: boolean
  online: boolean
}

export interface EndpointRequest {
  siteId?: string
  kind?: EndpointKind
  sipUser?: string | null
  password?: string | null
  displayName?: string
}

export interface PersonRequest {
  name?: string
  orgUnitId?: string
  idNumber?: string | null
  phone?: string | null
}

export interface UpdateUserRequest {
  displayName?: string
  role?: Role
  orgUnitId?: string
  password?: string
  unlock?: boolean
}

export interface KioskToken {
  id: string
  siteId: string
  token: string
}

/** Drops empty strings and nulls so an update changes only what was typed (a blank password keeps the old one). */
export function compact<T extends object>(req: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(req) as Array<[keyof T, T[keyof T]]>) {
    if (v === undefined || v === null) continue
    if (typeof v === 'string' && v.trim() === '') continue
    out[k] = v
  }
  return out
}

/** The kiosk's first URL: it takes its site and credential from here and remembers them (docs/console.md). */
export function kioskUrl(origin: string, siteId: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/kiosk?site=${encodeURIComponent(siteId)}&token=${encodeURIComponent(token)}`
}

const id = (base: string, value: string) => `${base}/${encodeURIComponent(value)}`

export function adminApi(api: ApiClient) {
  return {
    orgUnits: () => api.get<OrgUnitRow[]>('/api/org-units'),
    createOrgUnit: (req: CreateOrgUnitRequest) => api.post<OrgUnitRow>('/api/org-units', req),
    updateOrgUnit: (unitId: string, req: { name?: string; kind?: OrgUnitKind }) => api.put<OrgUnitRow>(id('/api/org-units', unitId), req),
    deleteOrgUnit: (unitId: string) => api.del(id('/api/org-units', unitId)),

    createSite: (req: SiteRequest) => api.post<unknown>('/api/sites', req),
    updateSite: (siteId: string, req: SiteRequest) => api.put<unknown>(id('/api/sites', siteId), req),
    deleteSite: (siteId: string) => api.del(id('/api/sites', siteId)),
    kioskToken: (siteId: string) => api.post<KioskToken>(`${id('/api/sites', siteId)}/kiosk-token`),

    endpoints: (filter: { siteId?: string; kind?: EndpointKind } = {}) => api.get<EndpointRow[]>('/api/endpoints', filter),
    createEndpoint: (req: EndpointRequest) => api.post<EndpointRow>('/api/endpoints', req),
    updateEndpoint: (endpointId: string, req: EndpointRequest) => api.put<EndpointRow>(id('/api/endpoints', endpointId), req),
    deleteEndpoint: (endpointId: string) => api.del(id('/api/endpoints', endpointId)),

    createPerson: (req: PersonRequest) => api.post<unknown>('/api/people', req),
    updatePerson: (personId: string, req: PersonRequest) => api.put<unknown>(id('/api/people', personId), req),
    deletePerson: (personId: string) => api.del(id('/api/people', personId)),

    updateUser: (userId: string, req: UpdateUserRequest) => api.put<unknown>(id('/api/users', userId), req),
    deleteUser: (userId: string) => api.del(id('/api/users', userId)),
  }
}

export type AdminApi = ReturnType<typeof adminApi>
