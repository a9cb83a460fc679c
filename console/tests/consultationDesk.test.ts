import { describe, expect, it } from 'vitest'
import { consultationDeskApi } from '@/api/consultationDesk'
import { createApiClient } from '@/api/http'
import {
  dayKeys,
  formatDuration,
  groupBars,
  localiseNoteStamps,
  percent,
  presetRange,
  rangeToInstants,
  recordState,
  recordsQuery,
  satisfactionShares,
  waitedSeconds,
  type RecordsFilter,
} from '@/utils/consultationDesk'

const none: RecordsFilter = { range: null, category: '', place: '', outcome: '', expertId: '' }

describe('formatDuration', () => {
  it('reads like a clock', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(45.7)).toBe('0:45')
    expect(formatDuration(725)).toBe('12:05')
    expect(formatDuration(3725)).toBe('1:02:05')
  })
  it('shows a dash for what is not known', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(undefined)).toBe('—')
    expect(formatDuration(-3)).toBe('—')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
})

describe('waitedSeconds', () => {
  it('counts from the request and never goes negative', () => {
    const at = '2026-11-30T02:00:00Z'
    expect(waitedSeconds(at, Date.parse(at) + 95_400)).toBe(95)
    expect(waitedSeconds(at, Date.parse(at) - 2_000)).toBe(0)
    expect(waitedSeconds('garbage', Date.now())).toBe(0)
  })
})

describe('periods', () => {
  // 2026-11-30 01:00 in Shanghai is still 2026-11-29 in UTC: the district's own calendar counts.
  const now = Date.parse('2026-11-29T17:00:00Z')
  it('presets end today (Asia/Shanghai) and include it', () => {
    expect(presetRange('today', now)).toEqual({ from: '2026-11-30', to: '2026-11-30' })
    expect(presetRange('week', now)).toEqual({ from: '2026-11-24', to: '2026-11-30' })
    expect(presetRange('month', now)).toEqual({ from: '2026-11-01', to: '2026-11-30' })
  })
  it('become half-open instants from local midnight', () => {
    expect(rangeToInstants({ from: '2026-11-24', to: '2026-11-30' })).toEqual({ from: '2026-11-24T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' })
  })
  it('list their days, with a cap', () => {
    expect(dayKeys({ from: '2026-11-29', to: '2026-12-02' })).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'])
    expect(dayKeys({ from: '2026-12-02', to: '2026-11-29' })).toEqual([])
    expect(dayKeys({ from: '2000-01-01', to: '2026-01-01' })).toHaveLength(366)
  })
})

describe('recordsQuery', () => {
  it('pages with limit and offset', () => {
    expect(recordsQuery(none, 1, 20)).toEqual({ limit: 20, offset: 0 })
    expect(recordsQuery(none, 3, 20)).toEqual({ limit: 20, offset: 40 })
  })
  it('maps each filter to the hub parameter', () => {
    const q = recordsQuery(
      { range: { from: '2026-11-01', to: '2026-11-30' }, category: 'medical', place: 'site-1', outcome: 'Callback', expertId: 'e-1' },
      1,
      20,
    )
    expect(q).toEqual({
      limit: 20,
      offset: 0,
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-12-01T00:00:00+08:00',
      category: 'medical',
      siteId: 'site-1',
      outcome: 'Callback',
      expertId: 'e-1',
    })
  })
  it('a township or village from the picker filters by org unit, not by site', () => {
    const q = recordsQuery({ ...none, place: 'org:unit-7' }, 1, 20)
    expect(q.orgUnitId).toBe('unit-7')
    expect(q.siteId).toBeUndefined()
  })
})

describe('recordState', () => {
  it('tells open, answered, and open or closed call-backs apart', () => {
    expect(recordState({ status: 'Queued', outcome: null, callbackClosedUtc: null })).toBe('Queued')
    expect(recordState({ status: 'Closed', outcome: 'Answered', callbackClosedUtc: null })).toBe('Answered')
    expect(recordState({ status: 'Closed', outcome: 'Callback', callbackClosedUtc: null })).toBe('Callback')
    expect(recordState({ status: 'Closed', outcome: 'Callback', callbackClosedUtc: '2026-11-30T03:00:00Z' })).toBe('CallbackClosed')
  })
})

describe('stats shaping', () => {
  const g = (key: string, total: number, answered: number, callback: number, name: string | null = null) => ({ key, name, total, answered, abandoned: 0, callback, noExpert: 0, failed: 0 })

  it('bars: largest first; answered, closed unanswered and still open stacked; capped', () => {
    const bars = groupBars([g('a', 2, 1, 1, '医保'), g('b', 9, 6, 1, '社保'), g('c', 5, 5, 0)], (x) => x.name ?? x.key, 2)
    expect(bars).toEqual({ names: ['社保', 'c'], answered: [6, 5], missed: [1, 0], open: [2, 0] })
  })

  it("the expert's UTC note stamps are shown in the district's time", () => {
    expect(localiseNoteStamps('[2026-11-30 05:58Z 李律师] 已解答\n[2026-11-30 16:05Z 李律师] 回访')).toBe('[2026-11-30 13:58 李律师] 已解答\n[2026-12-01 00:05 李律师] 回访')
  })

  it('satisfaction shares from the per-rating counts', () => {
    const shares = satisfactionShares({ rated: 4, ratings: { 满意: 3, 一般: 1, 不满意: 0 } })
    expect(shares.map((s) => [s.rating, s.count, s.share])).toEqual([
      ['满意', 3, 0.75],
      ['一般', 1, 0.25],
      ['不满意', 0, 0],
    ])
  })

  it('satisfaction shares are zero (not NaN) when nobody rated or an older hub sends no counts', () => {
    expect(satisfactionShares({ rated: 0, ratings: null }).every((s) => s.share === 0)).toBe(true)
  })

  it('percent', () => {
    expect(percent(0.8333)).toBe('83.3%')
    expect(percent(1)).toBe('100.0%')
    expect(percent(0, false)).toBe('—')
  })
})

describe('consultationDeskApi.records', () => {
  it('reads the total from X-Total-Count and sends the filter as query parameters', async () => {
    let url = ''
    const fetch = (async (input: RequestInfo | URL) => {
      url = String(input)
      return new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json', 'X-Total-Count': '57' } })
    }) as typeof globalThis.fetch
    const desk = consultationDeskApi(createApiClient({ fetch }))
    const page = await desk.records({ limit: 20, offset: 40, category: 'medical', orgUnitId: 'u1' })
    expect(page.total).toBe(57)
    expect(url).toContain('/api/consultations?')
    expect(url).toContain('limit=20')
    expect(url).toContain('offset=40')
    expect(url).toContain('orgUnitId=u1')
  })

  it('without the header, counts what it got', async () => {
    const fetch = (async () => new Response('[{"id":"x"}]', { status: 200, headers: { 'Content-Type': 'application/json' } })) as typeof globalThis.fetch
    const page = await consultationDeskApi(createApiClient({ fetch })).records({ offset: 20 })
    expect(page.total).toBe(21)
  })
})
