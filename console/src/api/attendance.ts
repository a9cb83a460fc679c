import type { ApiClient, Query } from './http'
import { buildUrl } from './http'

// Attendance (issue 8 item 4): per occurrence (sites and people) and a summary over a period; `format=csv|xlsx`
// turns either into a file.

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ConnectedInterval {
  joined: string
  left: string
}

export interface SiteAttendance {
  siteId: string
  siteName: string
  connected: ConnectedInterval[]
  connectedSeconds: number
  minutes: number
  firstJoin: string | null
  lastLeave: string | null
  late: boolean
  leftEarly: boolean
  absent: boolean
}

export interface PersonAttendance {
  personId: string | null
  name: string | null
  masked: string | null
  siteId: string
  siteName: string
  presentSeconds: number
  minutes: number
  firstCheckIn: string | null
  late: boolean
}

export interface OccurrenceAttendance {
  bookingId: string
  title: string
  originalStart: string
  start: string
  end: string
  roomId: string | null
  held: boolean
  sites: SiteAttendance[]
  people: PersonAttendance[]
}

export interface SiteSummary {
  siteId: string
  siteName: string
  meetingsExpected: number
  meetingsAttended: number
  minutes: number
  rate: number
}

export interface PersonSummary {
  personId: string | null
  name: string | null
  masked: string | null
  meetingsExpected: number | null
  meetingsAttended: number
  minutes: number
  rate: number | null
}

export interface AttendanceSummary {
  orgUnitId: string
  from: string
  to: string
  occurrences: number
  sites: SiteSummary[]
  people: PersonSummary[]
}

export interface SummaryFilter {
  orgUnitId?: string
  from?: string
  to?: string
}

/** A site's status in one occurrence, for its tag: absent beats late beats left early. */
export function siteStatus(s: Pick<SiteAttendance, 'absent' | 'late' | 'leftEarly'>): 'absent' | 'late' | 'leftEarly' | 'lateAndEarly' | 'present' {
  if (s.absent) return 'absent'
  if (s.late && s.leftEarly) return 'lateAndEarly'
  if (s.late) return 'late'
  if (s.leftEarly) return 'leftEarly'
  return 'present'
}

/** A rate as the hub sends it (0–1) → a whole percentage. */
export function percent(rate: number | null | undefined): number | null {
  return typeof rate === 'number' && Number.isFinite(rate) ? Math.round(rate * 1000) / 10 : null
}

const occurrencePath = (bookingId: string, originalStart: string) =>
  `/api/bookings/${encodeURIComponent(bookingId)}/occurrences/${encodeURIComponent(originalStart)}/attendance`

export function attendanceApi(api: ApiClient) {
  return {
    occurrence: (bookingId: string, originalStart: string) => api.get<OccurrenceAttendance>(occurrencePath(bookingId, originalStart)),
    summary: (filter: SummaryFilter) => api.get<AttendanceSummary>('/api/attendance', filter as Query),
    /** Paths (with query) of the export files, for the downloader. */
    occurrenceExport: (bookingId: string, originalStart: string, format: ExportFormat) => buildUrl('', occurrencePath(bookingId, originalStart), { format }),
    summaryExport: (filter: SummaryFilter, format: ExportFormat) => buildUrl('', '/api/attendance', { ...filter, format }),
  }
}

export type AttendanceApi = ReturnType<typeof attendanceApi>
