import { describe, expect, it } from 'vitest'
import { consultationsApi, perDaySeries, type StatsGroup } from '@/api/consultations'
import { isMissingRoute, whenAvailable } from '@/api/availability'
import { fakeApi, json, problem } from './support/fakeFetch'

const group = (key: string, total: number): StatsGroup => ({ key, name: null, total, answered: 0, abandoned: 0, callback: 0, noExpert: 0, failed: 0 })

describe('consultation statistics', () => {
  it('asks GET /api/consultations/stats with the window and period', async () => {
    const { api, calls } = fakeApi(json({ total: 3, byCategory: [], byPeriod: [] }))
    const stats = await consultationsApi(api).stats({ from: '2026-11-24T00:00:00Z', to: '2026-12-01T00:00:00Z', period: 'day' })
    expect(calls[0]!.url).toBe('/api/consultations/stats?from=2026-11-24T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z&period=day')
    expect(stats.total).toBe(3)
  })

  it('fills days without consultations with 0', () => {
    expect(perDaySeries([group('2026-11-25', 4), group('2026-11-27', 1)], ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'])).toEqual([0, 4, 0, 1])
  })
})

describe('whenAvailable', () => {
  it('turns the hub’s “API path not found” into an explained unavailable state', async () => {
    const { api } = fakeApi(problem(404, { title: 'Not found', detail: 'The API path was not found.' }))
    expect(await whenAvailable(() => consultationsApi(api).stats())).toEqual({ available: false })
  })

  it('keeps a 404 about a row, and any other error, as an error', async () => {
    const { api } = fakeApi(problem(404, { title: 'Not found', detail: 'The org unit was not found.' }))
    await expect(whenAvailable(() => consultationsApi(api).stats())).rejects.toMatchObject({ status: 404 })
    const failing = fakeApi(problem(500, { title: 'boom' }))
    await expect(whenAvailable(() => consultationsApi(failing.api).stats())).rejects.toMatchObject({ status: 500 })
  })

  it('passes data through when the route exists', async () => {
    const { api } = fakeApi(json({ total: 1 }))
    expect(await whenAvailable(() => consultationsApi(api).stats())).toMatchObject({ available: true, data: { total: 1 } })
    expect(isMissingRoute(new Error('x'))).toBe(false)
  })
})
