import { describe, expect, it } from 'vitest'
import type { OrgUnitNode } from '@/api/types'
import { asForest, countNodes, filterTree, findNode, matchesKeyword, nameIndex, pathTo, subtreeIds } from '@/utils/orgTree'

const district: OrgUnitNode = {
  id: 'd',
  name: '青山区委组织部',
  kind: 'District',
  children: [
    {
      id: 't1',
      name: '河口镇',
      kind: 'Township',
      children: [
        { id: 'v1', name: '河口村', kind: 'Village', children: [] },
        { id: 'v2', name: '柳湾村', kind: 'Village' },
      ],
    },
    {
      id: 't2',
      name: '石桥街道',
      kind: 'Subdistrict',
      children: [{ id: 'v3', name: '石桥社区', kind: 'Community', children: [{ id: 'b1', name: 'Party Branch One', kind: 'Branch' }] }],
    },
  ],
}
const forest = [district]

describe('filterTree', () => {
  it('returns the tree unchanged for an empty or blank keyword', () => {
    expect(filterTree(forest, '')).toBe(forest)
    expect(filterTree(forest, '   ')).toBe(forest)
  })

  it('keeps ancestors of a match and drops unrelated branches', () => {
    const result = filterTree(forest, '柳湾')
    expect(result).toHaveLength(1)
    expect(result[0]!.id).toBe('d')
    expect(result[0]!.children!.map((c) => c.id)).toEqual(['t1'])
    expect(result[0]!.children![0]!.children!.map((c) => c.id)).toEqual(['v2'])
  })

  it('keeps the whole subtree under a matching unit', () => {
    const result = filterTree(forest, '河口镇')
    const township = result[0]!.children![0]!
    expect(township.id).toBe('t1')
    expect(township.children!.map((c) => c.id)).toEqual(['v1', 'v2'])
  })

  it('matches several branches at once', () => {
    const result = filterTree(forest, '石桥')
    expect(result[0]!.children!.map((c) => c.id)).toEqual(['t2'])
    expect(filterTree(forest, '村')[0]!.children!.map((c) => c.id)).toEqual(['t1'])
  })

  it('is case-insensitive and trims the keyword', () => {
    expect(countNodes(filterTree(forest, '  party branch '))).toBe(4)
    expect(matchesKeyword({ name: 'Party Branch One' }, 'BRANCH')).toBe(true)
  })

  it('returns nothing when no unit matches, and never changes the input', () => {
    const before = JSON.stringify(forest)
    expect(filterTree(forest, '不存在')).toEqual([])
    filterTree(forest, '柳湾')
    expect(JSON.stringify(forest)).toBe(before)
  })
})

describe('tree lookups', () => {
  it('asForest accepts one root, a list or nothing', () => {
    expect(asForest(district)).toEqual([district])
    expect(asForest(forest)).toBe(forest)
    expect(asForest(null)).toEqual([])
  })

  it('findNode finds deep units and returns undefined otherwise', () => {
    expect(findNode(forest, 'b1')?.name).toBe('Party Branch One')
    expect(findNode(forest, 'nope')).toBeUndefined()
  })

  it('pathTo gives the breadcrumb from the root', () => {
    expect(pathTo(forest, 'v3').map((n) => n.id)).toEqual(['d', 't2', 'v3'])
    expect(pathTo(forest, 'nope')).toEqual([])
  })

  it('nameIndex maps every id to its name', () => {
    const names = nameIndex(forest)
    expect(names.size).toBe(7)
    expect(names.get('v2')).toBe('柳湾村')
  })

  it('subtreeIds lists a unit and everything below it', () => {
    expect(subtreeIds(district.children![1]!)).toEqual(['t2', 'v3', 'b1'])
    expect(countNodes(forest)).toBe(7)
  })
})
