import { describe, expect, it } from 'vitest'
import { applyPresence } from '@/live/presence'

const rows = [
  { id: 's1', name: '河口村', online: false },
  { id: 's2', name: '柳湾村', online: true },
]

describe('applyPresence', () => {
  it('flips the online flag of the matching row and returns a new array', () => {
    const next = applyPresence(rows, { id: 's1', online: true })
    expect(next).not.toBe(rows)
    expect(next[0]).toEqual({ id: 's1', name: '河口村', online: true })
    expect(next[1]).toBe(rows[1])
    expect(rows[0]!.online).toBe(false)
  })

  it('returns the same array for an unknown id or an unchanged state (no needless re-render)', () => {
    expect(applyPresence(rows, { id: 'nope', online: true })).toBe(rows)
    expect(applyPresence(rows, { id: 's2', online: true })).toBe(rows)
  })
})
