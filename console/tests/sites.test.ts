import { describe, expect, it } from 'vitest'
import { countByKind, kindTagType, onlineSummary } from '@/utils/sites'
import { categoryIcon, KIOSK_STORAGE_KEY, resolveKioskIdentity } from '@/utils/kiosk'

describe('countByKind', () => {
  it('counts totals and online per kind in a fixed order, zero-filled', () => {
    const counts = countByKind([
      { kind: 'VillageKiosk', online: true },
      { kind: 'VillageKiosk', online: false },
      { kind: 'ExpertStation', online: true },
      { kind: 'Unknown', online: true },
    ])
    expect(counts.map((c) => c.kind)).toEqual(['DistrictCentre', 'TownshipCentre', 'VillageKiosk', 'MeetingRoom', 'ExpertStation'])
    expect(counts.find((c) => c.kind === 'VillageKiosk')).toEqual({ kind: 'VillageKiosk', total: 2, online: 1 })
    expect(counts.find((c) => c.kind === 'ExpertStation')).toEqual({ kind: 'ExpertStation', total: 1, online: 1 })
    expect(counts.find((c) => c.kind === 'MeetingRoom')).toEqual({ kind: 'MeetingRoom', total: 0, online: 0 })
  })

  it('onlineSummary splits online and offline', () => {
    expect(onlineSummary([{ online: true }, { online: false }, { online: true }])).toEqual({ total: 3, online: 2, offline: 1 })
    expect(onlineSummary([])).toEqual({ total: 0, online: 0, offline: 0 })
  })

  it('gives each kind a tag colour and unknown kinds a neutral one', () => {
    expect(kindTagType('ExpertStation')).toBe('primary')
    expect(kindTagType('Whatever')).toBe('info')
  })
})

describe('kiosk helpers', () => {
  const memory = () => {
    const map = new Map<string, string>()
    return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) }
  }

  it('takes site and token from the first URL and remembers them', () => {
    const s = memory()
    expect(resolveKioskIdentity({ site: 's-1', token: 'kt' }, s)).toEqual({ siteId: 's-1', token: 'kt' })
    expect(resolveKioskIdentity({}, s)).toEqual({ siteId: 's-1', token: 'kt' })
    expect(JSON.parse(s.map.get(KIOSK_STORAGE_KEY)!)).toEqual({ siteId: 's-1', token: 'kt' })
  })

  it('needs both site and token, and ignores corrupt storage', () => {
    const s = memory()
    expect(resolveKioskIdentity({ site: 's-1' }, s)).toBeNull()
    s.map.set(KIOSK_STORAGE_KEY, 'nope')
    expect(resolveKioskIdentity({}, s)).toBeNull()
  })

  it('picks category icons by code or Chinese name', () => {
    expect(categoryIcon('admin', '行政')).toBe('admin')
    expect(categoryIcon('X1', '医疗卫生')).toBe('medical')
    expect(categoryIcon('law', 'Legal')).toBe('legal')
    expect(categoryIcon('c4', '农技服务')).toBe('agri')
    expect(categoryIcon('employment', 'Jobs')).toBe('employment')
    expect(categoryIcon('zz', '其他')).toBe('other')
  })
})
