import { describe, expect, it } from 'vitest'
import { bookingsApi, buildRrule, parseRrule, seriesChanges, type Booking, type BookingRequest } from '@/api/bookings'
import { fakeApi, json } from './support/fakeFetch'

const booking: Booking = {
  id: 'b1',
  title: '组织工作例会',
  organizerOrgUnitId: 'u1',
  start: '2026-12-07T01:00:00Z',
  end: '2026-12-07T02:30:00Z',
  timeZone: 'Asia/Shanghai',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
  siteIds: ['s1', 's2'],
  mainVenueSiteId: 's1',
  launchMode: 'AutoConnect',
  recording: false,
  prepareMinutes: 10,
  cancelled: false,
  sequence: 0,
  occurrences: [],
}

const same = (): BookingRequest => ({
  title: booking.title,
  organizerOrgUnitId: 'u1',
  start: '2026-12-07T09:00:00+08:00',
  end: '2026-12-07T10:30:00+08:00',
  timeZone: 'Asia/Shanghai',
  recurrence: booking.recurrence,
  siteIds: ['s2', 's1'],
  mainVenueSiteId: 's1',
  launchMode: 'AutoConnect',
  recording: false,
  prepareMinutes: 10,
})

describe('parseRrule', () => {
  it('reads back what the presets build', () => {
    for (const choice of [
      { preset: 'weekly' as const, startWeekday: 1, count: 10 },
      { preset: 'biweekly' as const, startWeekday: 3, until: '2027-03-31' },
      { preset: 'workdays' as const, startWeekday: 1, count: 20 },
      { preset: 'custom' as const, startWeekday: 1, days: ['MO' as const, 'TH' as const], count: 8 },
    ]) {
      const rule = buildRrule(choice)!
      const parsed = parseRrule(rule)
      expect(parsed.preset).toBe(choice.preset)
      expect(buildRrule({ preset: parsed.preset, startWeekday: choice.startWeekday, days: parsed.days, count: parsed.endBy === 'count' ? parsed.count : null, until: parsed.endBy === 'until' ? parsed.until : null })).toBe(rule)
    }
  })

  it('a single meeting, and an UNTIL with a time', () => {
    expect(parseRrule(null)).toEqual({ preset: 'none', days: [], endBy: 'count', count: null, until: '' })
    expect(parseRrule('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270131T155959Z')).toMatchObject({ preset: 'weekly', endBy: 'until', until: '2027-01-31' })
  })
})

describe('seriesChanges', () => {
  it('sends nothing when nothing changed (sites in another order, the same instant in another offset)', () => {
    expect(seriesChanges(booking, same())).toEqual({})
  })

  it('sends only what changed; start and end travel together', () => {
    expect(seriesChanges(booking, { ...same(), title: '组织工作例会（调整）', end: '2026-12-07T11:00:00+08:00' })).toEqual({
      title: '组织工作例会（调整）',
      start: '2026-12-07T09:00:00+08:00',
      end: '2026-12-07T11:00:00+08:00',
    })
    expect(seriesChanges(booking, { ...same(), siteIds: ['s1'], mainVenueSiteId: 's1' })).toEqual({ siteIds: ['s1'] })
  })

  it('removing the repeat sends an empty recurrence', () => {
    expect(seriesChanges(booking, { ...same(), recurrence: null })).toEqual({ recurrence: '' })
  })
})

describe('changeOccurrence', () => {
  it('PUTs the new start and end to the occurrence URL (its original start)', async () => {
    const { api, calls } = fakeApi(json({ originalStart: '2026-12-14T01:00:00Z', start: '2026-12-15T01:00:00Z', end: '2026-12-15T02:30:00Z', moved: true }))
    await bookingsApi(api).changeOccurrence('b1', '2026-12-14T01:00:00Z', { start: '2026-12-15T09:00:00+08:00', end: '2026-12-15T10:30:00+08:00' })
    expect(calls[0]!.method).toBe('PUT')
    expect(calls[0]!.url).toBe('/api/bookings/b1/occurrences/2026-12-14T01%3A00%3A00Z')
    expect(calls[0]!.body).toEqual({ start: '2026-12-15T09:00:00+08:00', end: '2026-12-15T10:30:00+08:00' })
  })
})
