import type { ApiClient } from './http'
import type {
  ConsultationCategory,
  CreateUserRequest,
  CurrentUser,
  Device,
  Endpoint,
  LoginRequest,
  LoginResponse,
  OrgUnitNode,
  Person,
  Site,
  UserSummary,
} from './types'

/** Typed calls for the directory API (issue 2). One function per endpoint, nothing cached. */
export function directoryApi(api: ApiClient) {
  return {
    login: (req: LoginRequest) => api.post<LoginResponse>('/api/auth/login', req, { anonymous: true }),
    me: () => api.get<CurrentUser>('/api/users/me'),
    orgTree: () => api.get<OrgUnitNode[] | OrgUnitNode>('/api/org-units/tree'),
    sites: (filter: { orgUnitId?: string; kind?: string } = {}) => api.get<Site[]>('/api/sites', filter),
    site: (id: string) => api.get<Site>(`/api/sites/${encodeURIComponent(id)}`),
    endpoints: (siteId: string) => api.get<Endpoint[]>('/api/endpoints', { siteId }),
    devices: (siteId?: string) => api.get<Device[]>('/api/devices', { siteId }),
    users: () => api.get<UserSummary[]>('/api/users'),
    createUser: (req: CreateUserRequest) => api.post<UserSummary>('/api/users', req),
    people: () => api.get<Person[]>('/api/people'),
    consultationCategories: () => api.get<ConsultationCategory[]>('/api/consultations/categories'),
  }
}

export type DirectoryApi = ReturnType<typeof directoryApi>
