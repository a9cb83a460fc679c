import type { ApiClient } from './http'
export { whenAvailable, type Availability } from './availability'

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

export function consultationsApi(api: ApiClient) {
  return {
    stats: (filter: StatsFilter = {}) => api.get<ConsultationStats>('/api/consultations/stats', { ...filter }),
  }
}
