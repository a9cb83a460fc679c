import { describe, expect, it } from 'vitest'
import { addDays, dateKey, dayStartIso, formatInZone, localToIso, minutesBetween, timeOfDay, weekdayOf, zoneOffsetMinutes } from '@/utils/zonedTime'

describe('zoned time (Asia/Shanghai whatever the machine’s zone)', () => {
  it('knows Shanghai is UTC+8', () => {
    expect(zoneOffsetMinutes('Asia/Shanghai', Date.UTC(2026, 11, 7))).toBe(480)
    expect(zoneOffsetMinutes('UTC', Date.UTC(2026, 11, 7))).toBe(0)
  })
  it('turns a local date and time into an instant with offset', () => {
    expect(localToIso('2026-12-07', '09:00')).toBe('2026-12-07T09:00:00+08:00')
    expect(Date.parse(localToIso('2026-12-07', '09:00'))).toBe(Date.UTC(2026, 11, 7, 1, 0))
    expect(dayStartIso('2026-12-07')).toBe('2026-12-07T00:00:00+08:00')
  })
  it('handles zones with daylight saving', () => {
    expect(localToIso('2026-07-01', '09:00', 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00')
    expect(localToIso('2026-01-15', '09:00', 'Europe/Berlin')).toBe('2026-01-15T09:00:00+01:00')
  })
  it('shows UTC instants as Shanghai wall-clock time', () => {
    expect(formatInZone('2026-12-06T17:30:00Z')).toBe('2026-12-07 01:30')
    expect(dateKey('2026-12-06T16:00:00Z')).toBe('2026-12-07')
    expect(dateKey('2026-12-06T15:59:59Z')).toBe('2026-12-06')
    expect(timeOfDay('2026-12-07T01:05:00Z')).toBe('09:05')
    expect(formatInZone(null)).toBe('')
    expect(formatInZone('nonsense')).toBe('')
  })
  it('does calendar arithmetic on date keys', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(weekdayOf('2026-12-07')).toBe(1)
    expect(minutesBetween('2026-12-07T01:00:00Z', '2026-12-07T02:30:00Z')).toBe(90)
  })
})
