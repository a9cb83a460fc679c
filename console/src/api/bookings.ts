import type { ApiClient } from './http'
import { isApiError } from './http'
import { DEFAULT_TIME_ZONE } from '@/utils/zonedTime'

// Shapes of the bookings API (issue 8 item 1). Times from the hub are UTC instants (`…Z`); the form sends them with
// an explicit offset and the booking's IANA zone.

export const LAUNCH_MODES = ['AutoConnect', 'OneTouch', 'Manual', 'Reservation'] as const
export type LaunchMode = (typeof LAUNCH_MODES)[number]

export interface BookingRequest {
  title: string
  organizerOrgUnitId: string
  start: string
  end: string
  timeZone: string
  recurrence?: string | null
  siteIds: string[]
  mainVenueSiteId: string
  launchMode: LaunchMode
  recording: boolean
  prepareMinutes: number
}

export interface Occurrence {
  /** The occurrence's id in URLs: its start before any move. */
  originalStart: string
  start: string
  end: string
  moved: boolean
}

export interface Booking {
  id: string
  title: string
  organizerOrgUnitId: string
  start: string
  end: string
  timeZone: string
  recurrence: string | null
  siteIds: string[]
  mainVenueSiteId: string
  launchMode: LaunchMode | string
  recording: boolean
  prepareMinutes: number
  cancelled: boolean
  sequence: number
  occurrences: Occurrence[]
}

/** One row of a 409: the site is already booked by another meeting in that slot. */
export interface BookingConflict {
  siteId: string
  bookingId: string
  /** Withheld (null) when the other booking is outside the caller's subtree. */
  title: string | null
  start: string
  end: string
  requestedStart: string
}

export interface DialStatus {
  siteId: string
  endpointId: string | null
  attempts: number
  lastAttempt: string | null
  lastOutcome: string | null
  connected: string | null
}

export interface OccurrenceRun {
  bookingId: string
  originalStart: string
  start: string
  end: string
  roomId: string | null
  prepared: string | null
  launched: string | null
  warned: string | null
  ended: string | null
  missed: string | null
  dials: DialStatus[]
}

/** One occurrence of a booking, flattened for lists and the calendar. */
export interface OccurrenceRow {
  booking: Booking
  occurrence: Occurrence
}

/** The conflicts a 409 from create/update lists (empty for any other error). */
export function conflictsOf(error: unknown): BookingConflict[] {
  if (!isApiError(error) || error.status !== 409) return []
  const list = error.problem?.conflicts
  return Array.isArray(list) ? (list.filter((c) => c && typeof c === 'object' && 'siteId' in c) as BookingConflict[]) : []
}

/** Every occurrence in the answer, soonest first. */
export function occurrenceRows(bookings: Booking[]): OccurrenceRow[] {
  return bookings
    .flatMap((booking) => (booking.occurrences ?? []).map((occurrence) => ({ booking, occurrence })))
    .sort((a, b) => Date.parse(a.occurrence.start) - Date.parse(b.occurrence.start))
}

// Recurrence presets → RFC 5545 RRULE (the hub accepts FREQ DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, COUNT, UNTIL).

export const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const
export type RruleDay = (typeof RRULE_DAYS)[number]

export const RECURRENCE_PRESETS = ['none', 'weekly', 'biweekly', 'workdays', 'custom'] as const
export type RecurrencePreset = (typeof RECURRENCE_PRESETS)[number]

export interface RecurrenceChoice {
  preset: RecurrencePreset
  /** Weekday of the first meeting (0 = Sunday): the day `weekly` and `biweekly` repeat on. */
  startWeekday: number
  /** For `custom`: the weekdays to meet on. */
  days?: RruleDay[]
  /** End after this many meetings … */
  count?: number | null
  /** … or on this local date (`YYYY-MM-DD`, inclusive). */
  until?: string | null
}

/** The RRULE for a preset, or null for a single meeting. */
export function buildRrule(choice: RecurrenceChoice): string | null {
  const day = RRULE_DAYS[((choice.startWeekday % 7) + 7) % 7]!
  let rule: string
  switch (choice.preset) {
    case 'none':
      return null
    case 'weekly':
      rule = `FREQ=WEEKLY;BYDAY=${day}`
      break
    case 'biweekly':
      rule = `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`
      break
    case 'workdays':
      rule = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'
      break
    case 'custom': {
      const days = RRULE_DAYS.filter((d) => choice.days?.includes(d))
      rule = `FREQ=WEEKLY;BYDAY=${(days.length ? days : [day]).join(',')}`
      break
    }
  }
  if (choice.count && choice.count > 0) rule += `;COUNT=${Math.floor(choice.count)}`
  // A date-only UNTIL is read in the booking's zone and includes that day.
  else if (choice.until && /^\d{4}-\d{2}-\d{2}$/.test(choice.until)) rule += `;UNTIL=${choice.until.replace(/-/g, '')}`
  return rule
}

/** Which preset an RRULE came from (for labels); 'custom' for anything else. */
export function presetOf(rrule: string | null | undefined): RecurrencePreset {
  if (!rrule) return 'none'
  const fields = new Map(rrule.split(';').map((p) => p.split('=') as [string, string]))
  if (fields.get('FREQ') !== 'WEEKLY') return 'custom'
  const days = fields.get('BYDAY') ?? ''
  const interval = fields.get('INTERVAL') ?? '1'
  if (days === 'MO,TU,WE,TH,FR' && interval === '1') return 'workdays'
  if (!days.includes(',') && interval === '1') return 'weekly'
  if (!days.includes(',') && interval === '2') return 'biweekly'
  return 'custom'
}

/** What the booking form edits: the whole series, or one occurrence of it (only its time can change). */
export interface BookingEdit {
  booking: Booking
  occurrence: Occurrence | null
  scope: 'series' | 'occurrence'
}

/** An RRULE read back into the form's fields (the inverse of `buildRrule` for what the presets produce). */
export interface ParsedRecurrence {
  preset: RecurrencePreset
  days: RruleDay[]
  endBy: 'count' | 'until'
  count: number | null
  /** `YYYY-MM-DD`, '' when the rule has no UNTIL. */
  until: string
}

export function parseRrule(rrule: string | null | undefined): ParsedRecurrence {
  const fields = new Map((rrule ?? '').split(';').filter(Boolean).map((p) => p.split('=') as [string, string]))
  const days = (fields.get('BYDAY') ?? '').split(',').filter((d): d is RruleDay => (RRULE_DAYS as readonly string[]).includes(d))
  const count = Number(fields.get('COUNT'))
  const until = /^(\d{4})(\d{2})(\d{2})/.exec(fields.get('UNTIL') ?? '')
  return {
    preset: presetOf(rrule),
    days,
    endBy: until && !fields.has('COUNT') ? 'until' : 'count',
    count: Number.isInteger(count) && count > 0 ? count : null,
    until: until ? `${until[1]}-${until[2]}-${until[3]}` : '',
  }
}

/**
 * What an edit of the whole series sends: only the fields that changed, so an untouched start in the past (a series
 * already running) is not re-validated as "in the past", and a rule the presets cannot express is kept as it is.
 * `recurrence: ''` removes the repeat.
 */
export function seriesChanges(before: Booking, after: BookingRequest): Partial<BookingRequest> {
  const out: Partial<BookingRequest> = {}
  if (after.title !== before.title) out.title = after.title
  if (after.organizerOrgUnitId !== before.organizerOrgUnitId) out.organizerOrgUnitId = after.organizerOrgUnitId
  if (Date.parse(after.start) !== Date.parse(before.start) || Date.parse(after.end) !== Date.parse(before.end)) {
    out.start = after.start
    out.end = after.end
  }
  if ((after.recurrence ?? null) !== (before.recurrence ?? null)) out.recurrence = after.recurrence ?? ''
  const sameSites = after.siteIds.length === before.siteIds.length && after.siteIds.every((id) => before.siteIds.includes(id))
  if (!sameSites) out.siteIds = after.siteIds
  if (after.mainVenueSiteId !== before.mainVenueSiteId) out.mainVenueSiteId = after.mainVenueSiteId
  if (after.launchMode !== before.launchMode) out.launchMode = after.launchMode
  if (after.recording !== before.recording) out.recording = after.recording
  if (after.prepareMinutes !== before.prepareMinutes) out.prepareMinutes = after.prepareMinutes
  return out
}

const booking = (id: string) => `/api/bookings/${encodeURIComponent(id)}`

/** Typed calls for bookings. */
export function bookingsApi(api: ApiClient) {
  return {
    list: (from: string, to: string) => api.get<Booking[]>('/api/bookings', { from, to }),
    get: (id: string) => api.get<Booking>(booking(id)),
    create: (req: BookingRequest) => api.post<Booking>('/api/bookings', { ...req, timeZone: req.timeZone || DEFAULT_TIME_ZONE }),
    update: (id: string, req: Partial<BookingRequest>) => api.put<Booking>(booking(id), req),
    cancel: (id: string) => api.del(booking(id)),
    /** Moves one occurrence (only its time can change; everything else belongs to the series). */
    changeOccurrence: (id: string, originalStart: string, change: { start: string; end: string }) =>
      api.put<Occurrence>(`${booking(id)}/occurrences/${encodeURIComponent(originalStart)}`, change),
    cancelOccurrence: (id: string, originalStart: string) => api.del(`${booking(id)}/occurrences/${encodeURIComponent(originalStart)}`),
    run: (id: string, originalStart: string) => api.get<OccurrenceRun>(`${booking(id)}/occurrences/${encodeURIComponent(originalStart)}`),
    /** iCalendar (RFC 5545) of the series; fetch it with the downloader (it needs the bearer token). */
    icsPath: (id: string) => `${booking(id)}.ics`,
  }
}

export type BookingsApi = ReturnType<typeof bookingsApi>
