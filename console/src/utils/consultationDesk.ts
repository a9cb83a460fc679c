import type { StatsGroup } from '@/api/consultations'
import type { ConsultationRow, Outcome, Presence, RecordsQuery, StaffStats } from '@/api/consultationDesk'
import { DEFAULT_TIME_ZONE, addDays, dateKey, dayStartIso, formatInZone } from './zonedTime'

/** "0:45", "12:05", "1:02:05": waits and talk times as staff read them on a clock; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const total = Math.floor(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Seconds a villager has waited so far, never negative (the hub's clock may be a little ahead). */
export function waitedSeconds(requestedUtc: string, now: number): number {
  const since = Date.parse(requestedUtc)
  return Number.isFinite(since) ? Math.max(0, Math.floor((now - since) / 1000)) : 0
}

/** A wait that deserves attention: longer than `warnSeconds` (5 minutes by default). */
export function isLongWait(seconds: number, warnSeconds = 300): boolean {
  return seconds >= warnSeconds
}

export function presenceTagType(p: Presence | string | null | undefined): 'success' | 'danger' | 'warning' | 'info' {
  if (p === 'Available') return 'success'
  if (p === 'Busy') return 'danger'
  if (p === 'Away') return 'warning'
  return 'info'
}

/** What a record's state is called on screen: an open status, or how it ended (call-backs open or closed). */
export type RecordState = 'Queued' | 'Ringing' | 'InCall' | Outcome | 'CallbackClosed' | 'Closed'

export function recordState(row: Pick<ConsultationRow, 'status' | 'outcome' | 'callbackClosedUtc'>): RecordState {
  if (row.status !== 'Closed') return row.status
  if (row.outcome === 'Callback' && row.callbackClosedUtc) return 'CallbackClosed'
  return row.outcome ?? 'Closed'
}

export function stateTagType(state: RecordState): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  switch (state) {
    case 'Answered':
    case 'CallbackClosed':
      return 'success'
    case 'Callback':
    case 'Ringing':
      return 'warning'
    case 'Failed':
    case 'NoExpert':
      return 'danger'
    case 'InCall':
    case 'Queued':
      return 'primary'
    default:
      return 'info'
  }
}

/** Calendar days as the district counts them (Asia/Shanghai), `from` and `to` inclusive. */
export interface DayRange {
  from: string
  to: string
}

export type PeriodPreset = 'today' | 'week' | 'month' | 'custom'

/** The last `days` days ending today (inclusive), as day keys. */
export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, now: number): DayRange {
  const today = dateKey(now)
  const days = preset === 'today' ? 1 : preset === 'week' ? 7 : 30
  return { from: addDays(today, 1 - days), to: today }
}

/** A day range as the hub's half-open `from`/`to` instants (local midnight to the midnight after `to`). */
export function rangeToInstants(range: DayRange): { from: string; to: string } {
  return { from: dayStartIso(range.from), to: dayStartIso(addDays(range.to, 1)) }
}

/** What the history tab filters by; empty strings mean "any". */
export interface RecordsFilter {
  range: DayRange | null
  category: string
  /** A site id, or `org:<unitId>` for everything under a township or village (the site picker's values). */
  place: string
  outcome: Outcome | ''
  expertId: string
}

export const ORG_PLACE = 'org:'

/** The history filter and page as `GET /api/consultations` query parameters. */
export function recordsQuery(filter: RecordsFilter, page: number, pageSize: number): RecordsQuery {
  const q: RecordsQuery = { limit: pageSize, offset: Math.max(0, page - 1) * pageSize }
  if (filter.range) Object.assign(q, rangeToInstants(filter.range))
  if (filter.category) q.category = filter.category
  if (filter.place.startsWith(ORG_PLACE)) q.orgUnitId = filter.place.slice(ORG_PLACE.length)
  else if (filter.place) q.siteId = filter.place
  if (filter.outcome) q.outcome = filter.outcome
  if (filter.expertId) q.expertId = filter.expertId
  return q
}

/** Day keys from `from` to `to` inclusive (at most 366, so a mistyped year cannot hang the page). */
export function dayKeys(range: DayRange): string[] {
  const out: string[] = []
  for (let d = range.from; d <= range.to && out.length < 366; d = addDays(d, 1)) out.push(d)
  return out
}

/** One bar chart's data: per name, answered, closed without an answer, and still open; largest totals first. */
export interface GroupBars {
  names: string[]
  answered: number[]
  missed: number[]
  open: number[]
}

export function groupBars(groups: StatsGroup[], nameOf: (g: StatsGroup) => string, limit = 15): GroupBars {
  const sorted = groups.slice().sort((a, b) => b.total - a.total || a.key.localeCompare(b.key)).slice(0, limit)
  const missed = (g: StatsGroup) => g.abandoned + g.callback + g.noExpert + g.failed
  return {
    names: sorted.map(nameOf),
    answered: sorted.map((g) => g.answered),
    missed: sorted.map(missed),
    open: sorted.map((g) => Math.max(0, g.total - g.answered - missed(g))),
  }
}

/**
 * The expert's notes carry UTC stamps (`[2026-11-30 05:58Z 李律师] …`); staff read them in the district's time.
 */
export function localiseNoteStamps(notes: string, zone = DEFAULT_TIME_ZONE): string {
  return notes.replace(/\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})Z /g, (whole, day: string, time: string) => {
    const local = formatInZone(`${day}T${time}:00Z`, zone)
    return local ? `[${local} ` : whole
  })
}

/** Satisfaction shares (满意 / 一般 / 不满意) of the rated consultations, each 0..1; all zero when nobody rated. */
export function satisfactionShares(stats: Pick<StaffStats, 'ratings' | 'rated'>): Array<{ rating: string; count: number; share: number }> {
  const counts = stats.ratings ?? {}
  const rated = Object.values(counts).reduce((a, b) => a + b, 0) || stats.rated
  return ['满意', '一般', '不满意'].map((rating) => {
    const count = counts[rating] ?? 0
    return { rating, count, share: rated > 0 ? count / rated : 0 }
  })
}

/** 0.8333 → "83.3%"; "—" when there is nothing to rate the share on. */
export function percent(share: number, hasData = true): string {
  if (!hasData || !Number.isFinite(share)) return '—'
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`
}
