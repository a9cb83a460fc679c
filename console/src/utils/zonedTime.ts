// Times in the booking's zone (Asia/Shanghai by default) whatever the browser's own zone is: the hub sends instants
// in UTC (`…Z`); staff read and type wall-clock times in the district's zone.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

interface Parts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: number
}

const partFormatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

function formatter(zone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    partFormatters.set(zone, f)
  }
  return f
}

/** Calendar fields of an instant as seen in `zone`. */
export function zonedParts(instant: Date | string | number, zone: string = DEFAULT_TIME_ZONE): Parts {
  const date = instant instanceof Date ? instant : new Date(instant)
  const out: Record<string, string> = {}
  for (const p of formatter(zone).formatToParts(date)) out[p.type] = p.value
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 0,
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Offset of `zone` from UTC at that instant, in minutes (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(zone: string, instant: Date | number = Date.now()): number {
  const ms = instant instanceof Date ? instant.getTime() : instant
  const p = zonedParts(ms, zone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000)
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** `2026-12-07` + `09:00` in `zone` → `2026-12-07T09:00:00+08:00` (an instant the hub reads unambiguously). */
export function localToIso(date: string, time: string, zone: string = DEFAULT_TIME_ZONE): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const guess = Date.UTC(y, m - 1, d, hh, mm)
  // Two passes settle the offset around a DST change (zones that have one).
  let offset = zoneOffsetMinutes(zone, guess)
  offset = zoneOffsetMinutes(zone, guess - offset * 60_000)
  return `${date}T${pad(hh)}:${pad(mm)}:00${offsetText(offset)}`
}

/** `YYYY-MM-DD` of an instant in `zone`. */
export function dateKey(instant: Date | string | number, zone: string = DEFAULT_TIME_ZONE): string {
  const p = zonedParts(instant, zone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}

/** `HH:mm` of an instant in `zone`. */
export function timeOfDay(instant: Date | string | number, zone: string = DEFAULT_TIME_ZONE): string {
  const p = zonedParts(instant, zone)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/** `YYYY-MM-DD HH:mm` in `zone`; '' for a missing or unreadable value. */
export function formatInZone(instant: string | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (!instant) return ''
  const ms = Date.parse(instant)
  if (Number.isNaN(ms)) return ''
  return `${dateKey(ms, zone)} ${timeOfDay(ms, zone)}`
}

/** Adds whole days to a `YYYY-MM-DD` key (calendar arithmetic, no zone involved). */
export function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + days))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** Weekday (0 = Sunday) of a `YYYY-MM-DD` key. */
export function weekdayOf(key: string): number {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

/** Start of that local day in `zone`, as an instant with offset (for `from`/`to` query values). */
export function dayStartIso(key: string, zone: string = DEFAULT_TIME_ZONE): string {
  return localToIso(key, '00:00', zone)
}

/** Minutes between two instants (rounded). */
export function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60_000)
}
