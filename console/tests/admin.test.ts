import { describe, expect, it } from 'vitest'
import { adminApi, compact, kioskUrl } from '@/api/admin'
import { fakeApi, json } from './support/fakeFetch'

describe('directory administration', () => {
  it('compact drops blanks so an edit never sends an empty password', () => {
    expect(compact({ displayName: '村委会', password: '', sipUser: null, siteId: 's1', unlock: undefined })).toEqual({ displayName: '村委会', siteId: 's1' })
    expect(compact({ password: '   ' })).toEqual({})
    expect(compact({ recording: false, count: 0 })).toEqual({ recording: false, count: 0 })
  })

  it('builds the kiosk’s first URL', () => {
    expect(kioskUrl('http://hub:5080/', 's 1', 'a+b/c')).toBe('http://hub:5080/kiosk?site=s%201&token=a%2Bb%2Fc')
  })

  it('uses the directory routes and the kiosk-token route', async () => {
    const { api, calls } = fakeApi(json({ id: 'k', siteId: 's1', token: 't' }))
    const a = adminApi(api)
    await a.createOrgUnit({ parentId: 'p', code: 'v1', name: '新村', kind: 'Village' })
    await a.updateOrgUnit('u1', { name: '改名' })
    await a.deleteOrgUnit('u1')
    await a.createSite({ code: 'S1', name: '站点', kind: 'VillageKiosk', orgUnitId: 'u1' })
    await a.updateSite('s1', { name: 'x' })
    await a.deleteSite('s1')
    const token = await a.kioskToken('s1')
    await a.endpoints({ kind: 'Sip' })
    await a.createEndpoint({ siteId: 's1', kind: 'Sip', sipUser: '8001', password: 'secret-123', displayName: '话机' })
    await a.updateEndpoint('e1', { displayName: 'y' })
    await a.deleteEndpoint('e1')
    await a.createPerson({ name: '张三', orgUnitId: 'u1' })
    await a.updatePerson('p1', { phone: '13800000000' })
    await a.deletePerson('p1')
    await a.updateUser('x1', { role: 'OrgStaff', unlock: true })
    await a.deleteUser('x1')
    expect(token.token).toBe('t')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/org-units',
      'PUT /api/org-units/u1',
      'DELETE /api/org-units/u1',
      'POST /api/sites',
      'PUT /api/sites/s1',
      'DELETE /api/sites/s1',
      'POST /api/sites/s1/kiosk-token',
      'GET /api/endpoints?kind=Sip',
      'POST /api/endpoints',
      'PUT /api/endpoints/e1',
      'DELETE /api/endpoints/e1',
      'POST /api/people',
      'PUT /api/people/p1',
      'DELETE /api/people/p1',
      'PUT /api/users/x1',
      'DELETE /api/users/x1',
    ])
    expect(calls[8]!.body).toMatchObject({ sipUser: '8001', password: 'secret-123' })
  })
})
