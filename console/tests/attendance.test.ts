import { describe, expect, it } from 'vitest'
import { attendanceApi, percent, siteStatus } from '@/api/attendance'
import { fakeApi, json } from './support/fakeFetch'

describe('attendance', () => {
  it('names a site’s status: absent, then late and/or early, else present', () => {
    expect(siteStatus({ absent: true, late: true, leftEarly: true })).toBe('absent')
    expect(siteStatus({ absent: false, late: true, leftEarly: true })).toBe('lateAndEarly')
    expect(siteStatus({ absent: false, late: true, leftEarly: false })).toBe('late')
    expect(siteStatus({ absent: false, late: false, leftEarly: true })).toBe('leftEarly')
    expect(siteStatus({ absent: false, late: false, leftEarly: false })).toBe('present')
  })

  it('shows rates as percentages with one decimal', () => {
    expect(percent(0.8333)).toBe(83.3)
    expect(percent(1)).toBe(100)
    expect(percent(null)).toBeNull()
  })

  it('reads an occurrence and a summary, and builds the export paths', async () => {
    const { api, calls } = fakeApi(json({}))
    const a = attendanceApi(api)
    await a.occurrence('b1', '2026-12-07T01:00:00Z')
    await a.summary({ orgUnitId: 'u1', from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' })
    expect(calls[0]!.url).toBe('/api/bookings/b1/occurrences/2026-12-07T01%3A00%3A00Z/attendance')
    expect(calls[1]!.url).toBe('/api/attendance?orgUnitId=u1&from=2026-11-01T00%3A00%3A00%2B08%3A00&to=2026-12-01T00%3A00%3A00%2B08%3A00')
    expect(a.occurrenceExport('b1', '2026-12-07T01:00:00Z', 'xlsx')).toBe('/api/bookings/b1/occurrences/2026-12-07T01%3A00%3A00Z/attendance?format=xlsx')
    expect(a.summaryExport({ orgUnitId: 'u1' }, 'csv')).toBe('/api/attendance?orgUnitId=u1&format=csv')
  })
})
