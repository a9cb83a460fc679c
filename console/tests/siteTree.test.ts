import { describe, expect, it } from 'vitest'
import type { OrgUnitNode, Site } from '@/api/types'
import { endpointTree, pickedSiteIds, siteTree } from '@/utils/siteTree'

const forest: OrgUnitNode[] = [
  {
    id: 'd',
    name: '区',
    kind: 'District',
    children: [
      { id: 't1', name: '城关镇', kind: 'Township', children: [{ id: 'v1', name: '东村', kind: 'Village' }] },
      { id: 't2', name: '空镇', kind: 'Township', children: [] },
    ],
  },
]
const site = (id: string, orgUnitId: string, name: string): Site => ({ id, orgUnitId, name, kind: 'VillageKiosk', online: true })
const sites = [site('s0', 'd', '区会议中心'), site('s1', 't1', '镇会议室'), site('s2', 'v1', '东村终端')]

describe('siteTree', () => {
  it('hangs sites under their units and leaves out units without sites', () => {
    const tree = siteTree(forest, sites)
    expect(tree).toHaveLength(1)
    const district = tree[0]!
    expect(district.value).toBe('org:d')
    expect(district.children!.map((c) => c.label)).toEqual(['城关镇', '区会议中心'])
    const township = district.children![0]!
    expect(township.children!.map((c) => c.value)).toEqual(['org:v1', 's1'])
  })

  it('keeps only site ids from a selection, without duplicates', () => {
    expect(pickedSiteIds(['org:d', 's1', 's2', 's1'])).toEqual(['s1', 's2'])
  })

  it('offers SIP endpoints with an account under their site', () => {
    const tree = endpointTree(forest, sites, [
      { id: 'e1', siteId: 's2', displayName: '东村话机', sipUser: '8101', kind: 'Sip', online: true },
      { id: 'e2', siteId: 's1', displayName: '网页', sipUser: null, kind: 'Web', online: true },
    ])
    const township = tree[0]!.children![0]!
    const village = township.children![0]!
    const siteNode = village.children![0]!
    expect(siteNode).toMatchObject({ value: 'site:s2', disabled: true })
    expect(siteNode.children).toEqual([{ value: 'e1', label: '东村话机 (8101)', isSite: false }])
    expect(township.children).toHaveLength(1)
  })
})
