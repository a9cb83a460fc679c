import type { ApiClient } from './http'
export { whenAvailable, type Availability } from './availability'

/** `POST /api/consultations` answer: where the request stands in its category's queue. */
export interface QueueTicket {
  id: string
  status: string
  outcome?: string | null
  position: number
  estimatedWaitSeconds: number
}

/** A consultation record as `GET /api/consultations/{id}` returns it (live position while waiting). */
export interface ConsultationRecord {
  id: string
  siteId: string
  category: string
  status: 'Queued' | 'Ringing' | 'InCall' | 'Closed'
  outcome?: string | null
  personMasked?: string | null
  requestedUtc: string
  answeredUtc?: string | null
  endedUtc?: string | null
  waitSeconds?: number | null
  talkSeconds?: number | null
  expertId?: string | null
  roomId?: string | null
  notes?: string | null
  rating?: string | null
  position?: number | null
  estimatedWaitSeconds?: number | null
}

export interface ExpertProfile {
  id: string
  name: string
  stationSiteId: string
  categories: string[]
  presence: 'Available' | 'Busy' | 'Away' | 'Offline'
  onDuty: boolean
  offerFor?: string | null
  callFor?: string | null
}

export interface ConsultationOffer {
  id: string
  offerId: string
  category: string
  siteId: string
  personMasked?: string | null
  requestedUtc: string
  offeredUtc: string
  expiresUtc: string
  roomId?: string | null
}

export interface AcceptResult {
  id: string
  roomId: string
}

/** `GET /api/consultations/{id}/site`: where the villager is, for the expert's call view. */
export interface ConsultationSite {
  id: string
  siteId: string
  siteName: string
  township?: string | null
}

/** `GET /api/experts/me/colleagues`: whom an expert can transfer to or invite. */
export interface Colleague {
  id: string
  name: string
  categories: string[]
  presence: ExpertProfile['presence']
  free: boolean
}

/** A transfer goes to a category's queue or to one named expert. */
export type TransferTarget = { category: string } | { expertId: string }

// The hub's consultation pushes on /hubs/console (hub/VideoLink.Hub/Consultations/ConsultationNotifier.cs).

/** `consultationUpdated`, to the requesting kiosk: queue position and estimate, connected, closed. */
export interface ConsultationUpdate {
  id: string
  status: 'Queued' | 'Ringing' | 'InCall' | 'Closed'
  outcome?: string | null
  position: number
  estimatedWaitSeconds: number
  roomId?: string | null
}

/** `consultationOfferWithdrawn` (taken back, rang out, cancelled by the villager) and `consultationEnded`, to experts. */
export interface ConsultationClosedPush {
  id: string
  reason?: string
  outcome?: string
}

/** `consultationInvited`, to a specialist asked into a running call. */
export interface ConsultationInvite {
  id: string
  roomId: string
  category: string
}

export const RATINGS = ['满意', '一般', '不满意'] as const
export type Rating = (typeof RATINGS)[number]

/** The kiosk's and the expert app's calls (hub/VideoLink.Hub/Api/ConsultationsApi.cs, ExpertsApi.cs). */
export function consultationsApi(api: ApiClient) {
  return {
    request: (siteId: string, category: string) => api.post<QueueTicket>('/api/consultations', { siteId, category }),
    get: (id: string) => api.get<ConsultationRecord>(`/api/consultations/${id}`),
    cancel: (id: string) => api.post<unknown>(`/api/consultations/${id}/cancel`, {}),
    end: (id: string) => api.post<unknown>(`/api/consultations/${id}/end`, {}),
    rate: (id: string, rating: Rating) => api.post<unknown>(`/api/consultations/${id}/rating`, { rating }),
    me: () => api.get<ExpertProfile>('/api/experts/me'),
    setPresence: (status: 'Available' | 'Busy' | 'Away') => api.put<ExpertProfile>('/api/experts/me/presence', { status }),
    offers: () => api.get<ConsultationOffer[]>('/api/experts/me/offers'),
    accept: (id: string) => api.post<AcceptResult>(`/api/consultations/${id}/accept`, {}),
    decline: (id: string) => api.post<unknown>(`/api/consultations/${id}/decline`, {}),
    site: (id: string) => api.get<ConsultationSite>(`/api/consultations/${id}/site`),
    colleagues: () => api.get<Colleague[]>('/api/experts/me/colleagues'),
    transfer: (id: string, target: TransferTarget) => api.post<unknown>(`/api/consultations/${id}/transfer`, target),
    invite: (id: string, expertId: string) => api.post<unknown>(`/api/consultations/${id}/invite`, { expertId }),
    notes: (id: string, text: string) => api.post<{ id: string; notes: string }>(`/api/consultations/${id}/notes`, { text }),
    stats: (filter: StatsFilter = {}) => api.get<ConsultationStats>('/api/consultations/stats', { ...filter }),
  }
}

export type ConsultationsApi = ReturnType<typeof consultationsApi>


// Consultation statistics (issue 7 item 6, `GET /api/consultations/stats`), as the dashboard charts them.

export interface StatsGroup {
  key: string
  name: string | null
  total: number
  answered: number
  abandoned: number
  callback: number
  noExpert: number
  failed: number
}

export interface ConsultationStats {
  from: string | null
  to: string | null
  total: number
  answered: number
  abandoned: number
  callback: number
  openCallbacks: number
  open: number
  answerRate: number
  meanWaitSeconds: number
  p90WaitSeconds: number
  meanTalkSeconds: number
  rated: number
  satisfactionRate: number
  byCategory: StatsGroup[]
  byStation: StatsGroup[]
  byTownship: StatsGroup[]
  byPeriod: StatsGroup[]
}

export interface StatsFilter {
  from?: string
  to?: string
  category?: string
  period?: 'day' | 'week' | 'month'
}

/**
 * Fills the days without consultations so the per-day chart has one bar per day of the window.
 * `days` are `YYYY-MM-DD` keys in order; the hub groups by UTC day with `period=day`.
 */
export function perDaySeries(byPeriod: StatsGroup[], days: string[]): number[] {
  const counts = new Map(byPeriod.map((g) => [g.key, g.total]))
  return days.map((d) => counts.get(d) ?? 0)
}

