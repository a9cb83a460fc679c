import type { ApiClient } from './http'
import type { ConsultationStats } from './consultations'

// The staff console's 服务面对面 calls (hub/VideoLink.Hub/Api/ConsultationsApi.cs, ConsultationRecords.cs,
// ConsultationQueues.cs, ConsultationDirectoryApi.cs).

export type Presence = 'Available' | 'Busy' | 'Away' | 'Offline'
export type Outcome = 'Answered' | 'Abandoned' | 'NoExpert' | 'Callback' | 'Failed'
export const OUTCOMES: readonly Outcome[] = ['Answered', 'Abandoned', 'NoExpert', 'Callback', 'Failed']

export interface WaitingRequest {
  id: string
  siteId: string
  siteName?: string | null
  requestedUtc: string
  position: number
  estimatedWaitSeconds: number
  ringing: boolean
}

export interface CallInProgress {
  id: string
  siteId: string
  siteName?: string | null
  requestedUtc: string
  expertId: string
  expertName?: string | null
}

export interface ExpertOnDuty {
  id: string
  name: string
  stationSiteId: string
  stationName?: string | null
  presence: Presence
  onDuty: boolean
  inCall: boolean
  ringing: boolean
}

/** `GET /api/consultations/queues`: one category's live queue. */
export interface CategoryQueue {
  code: string
  name: string
  waiting: WaitingRequest[]
  inCall: CallInProgress[]
  experts: ExpertOnDuty[]
}

/** A record as `GET /api/consultations` lists it. */
export interface ConsultationRow {
  id: string
  sequence: number
  siteId: string
  category: string
  source: string
  status: 'Queued' | 'Ringing' | 'InCall' | 'Closed'
  outcome?: Outcome | null
  personMasked?: string | null
  requestedUtc: string
  offeredUtc?: string | null
  answeredUtc?: string | null
  endedUtc?: string | null
  waitSeconds?: number | null
  talkSeconds?: number | null
  expertId?: string | null
  stationSiteId?: string | null
  roomId?: string | null
  invitedExpertIds: string[]
  notes?: string | null
  rating?: string | null
  callbackClosedUtc?: string | null
  callbackNote?: string | null
}

export interface ExpertSummary {
  id: string
  name: string
  stationSiteId: string
  category: string
  title?: string | null
  categories?: string[] | null
  presence?: Presence | null
}

/** Query parameters of `GET /api/consultations` (see `recordsQuery`). */
export interface RecordsQuery {
  from?: string
  to?: string
  category?: string
  siteId?: string
  orgUnitId?: string
  expertId?: string
  outcome?: Outcome
  callbackOpen?: boolean
  limit?: number
  offset?: number
}

export interface Page<T> {
  rows: T[]
  total: number
}

export interface StaffStats extends ConsultationStats {
  ratings?: Record<string, number> | null
}

export function consultationDeskApi(api: ApiClient) {
  return {
    queues: () => api.get<CategoryQueue[]>('/api/consultations/queues'),
    async records(query: RecordsQuery): Promise<Page<ConsultationRow>> {
      let total = -1
      const rows = await api.get<ConsultationRow[]>('/api/consultations', { ...query }, {
        onHeaders: (h) => {
          const n = Number(h.get('X-Total-Count'))
          if (Number.isFinite(n) && h.has('X-Total-Count')) total = n
        },
      })
      return { rows, total: total < 0 ? (query.offset ?? 0) + rows.length : total }
    },
    openCallbacks: () => api.get<ConsultationRow[]>('/api/consultations', { callbackOpen: true, limit: 500 }),
    closeCallback: (id: string, note: string) =>
      api.post<{ id: string; callbackClosedUtc: string }>(`/api/consultations/${encodeURIComponent(id)}/callback/close`, { note: note.trim() || null }),
    stats: (query: { from?: string; to?: string; category?: string; period?: 'day' | 'week' | 'month' }) =>
      api.get<StaffStats>('/api/consultations/stats', { ...query }),
    experts: () => api.get<ExpertSummary[]>('/api/experts'),
  }
}

export type ConsultationDeskApi = ReturnType<typeof consultationDeskApi>
