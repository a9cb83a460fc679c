import { describe, expect, it } from 'vitest'
import { bookingsApi, buildRrule, conflictsOf, occurrenceRows, presetOf, type Booking } from '@/api/bookings'
import { ApiError } from '@/api/http'
import { fakeApi, json, problem } from './support/fakeFetch'

const booking = (id: string, starts: string[]): Booking => ({
  id,
  title: id,
  organizerOrgUnitId: 'u',
  start: starts[0]!,
  end: starts[0]!,
  timeZone: 'Asia/Shanghai',
  recurrence: null,
  siteIds: ['s1'],
  mainVenueSiteId: 's1',
  launchMode: 'AutoConnect',
  recording: false,
  prepareMinutes: 10,
  cancelled: false,
  sequence: 0,
  occurrences: starts.map((s) => ({ originalStart: s, start: s, end: s, moved: false })),
})

describe('buildRrule', () => {
  it('repeats weekly and fortnightly on the first meeting’s weekday', () => {
    expect(buildRrule({ preset: 'weekly', startWeekday: 1, count: 10 })).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=10')
    expect(buildRrule({ preset: 'biweekly', startWeekday: 5, until: '2027-06-30' })).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270630')
  })
  it('covers workdays, chosen days (in week order) and no repeat', () => {
    expect(buildRrule({ preset: 'workdays', startWeekday: 3 })).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR')
    expect(buildRrule({ preset: 'custom', startWeekday: 1, days: ['FR', 'MO'] })).toBe('FREQ=WEEKLY;BYDAY=MO,FR')
    expect(buildRrule({ preset: 'custom', startWeekday: 2, days: [] })).toBe('FREQ=WEEKLY;BYDAY=TU')
    expect(buildRrule({ preset: 'none', startWeekday: 1, count: 5 })).toBeNull()
  })
  it('prefers COUNT over UNTIL and ignores a malformed date', () => {
    expect(buildRrule({ preset: 'weekly', startWeekday: 0, count: 3, until: '2027-01-01' })).toBe('FREQ=WEEKLY;BYDAY=SU;COUNT=3')
    expect(buildRrule({ preset: 'weekly', startWeekday: 0, until: '2027/01/01' })).toBe('FREQ=WEEKLY;BYDAY=SU')
  })
  it('round-trips through presetOf', () => {
    expect(presetOf('FREQ=WEEKLY;BYDAY=MO;COUNT=10')).toBe('weekly')
    expect(presetOf('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR')).toBe('biweekly')
    expect(presetOf('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR')).toBe('workdays')
    expect(presetOf('FREQ=MONTHLY;BYDAY=1MO')).toBe('custom')
    expect(presetOf(null)).toBe('none')
  })
})

describe('conflictsOf', () => {
  it('lists the conflicts a 409 carries', () => {
    const err = new ApiError('http', 409, { status: 409, title: 'Conflict', conflicts: [{ siteId: 's1', bookingId: 'b9', title: null, start: 'x', end: 'y', requestedStart: 'x' }] })
    expect(conflictsOf(err)).toHaveLength(1)
    expect(conflictsOf(err)[0]!.title).toBeNull()
  })
  it('is empty for other errors', () => {
    expect(conflictsOf(new ApiError('http', 400, { errors: { title: ['required'] } }))).toEqual([])
    expect(conflictsOf(new Error('x'))).toEqual([])
  })
})

describe('occurrenceRows', () => {
  it('flattens every occurrence of every booking, soonest first', () => {
    const rows = occurrenceRows([booking('b', ['2026-12-08T01:00:00Z']), booking('a', ['2026-12-07T01:00:00Z', '2026-12-14T01:00:00Z'])])
    expect(rows.map((r) => `${r.booking.id}@${r.occurrence.start.slice(5, 10)}`)).toEqual(['a@12-07', 'b@12-08', 'a@12-14'])
  })
})

describe('bookingsApi', () => {
  it('lists by window and creates with the zone', async () => {
    const { api, calls } = fakeApi((c) => (c.method === 'GET' ? json([]) : json(booking('n', ['2026-12-07T01:00:00Z']), 201)))
    const b = bookingsApi(api)
    await b.list('2026-12-07T00:00:00+08:00', '2026-12-14T00:00:00+08:00')
    expect(calls[0]!.url).toBe('/api/bookings?from=2026-12-07T00%3A00%3A00%2B08%3A00&to=2026-12-14T00%3A00%3A00%2B08%3A00')
    await b.create({
      title: '例会',
      organizerOrgUnitId: 'u',
      start: '2026-12-07T09:00:00+08:00',
      end: '2026-12-07T10:30:00+08:00',
      timeZone: '',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
      siteIds: ['s1', 's2'],
      mainVenueSiteId: 's1',
      launchMode: 'OneTouch',
      recording: true,
      prepareMinutes: 15,
    })
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/bookings' })
    expect(calls[1]!.body).toMatchObject({ timeZone: 'Asia/Shanghai', launchMode: 'OneTouch', siteIds: ['s1', 's2'], prepareMinutes: 15 })
  })

  it('addresses one occurrence by its original start, and the series’ .ics', async () => {
    const { api, calls } = fakeApi()
    const b = bookingsApi(api)
    await b.cancelOccurrence('b1', '2026-12-07T01:00:00Z')
    await b.cancel('b1')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['DELETE /api/bookings/b1/occurrences/2026-12-07T01%3A00%3A00Z', 'DELETE /api/bookings/b1'])
    expect(b.icsPath('b1')).toBe('/api/bookings/b1.ics')
  })

  it('surfaces a 409 with its conflicts', async () => {
    const { api } = fakeApi(problem(409, { title: 'Conflict', detail: '1 conflict(s)', conflicts: [{ siteId: 's1', bookingId: 'o', title: '党建培训', start: 'a', end: 'b', requestedStart: 'a' }] }))
    const err = await bookingsApi(api).create({} as never).catch((e: unknown) => e)
    expect(conflictsOf(err).map((c) => c.title)).toEqual(['党建培训'])
  })
})
