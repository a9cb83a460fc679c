import { describe, expect, it } from 'vitest'
import { PRESET_NAMES_PREFIX, loadPresetNames, savePresetName } from '@/utils/presetNames'

function memory() {
  const m = new Map<string, string>()
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  }
}

describe('preset names in localStorage', () => {
  it('are stored per device and read back', () => {
    const s = memory()
    savePresetName(s, 'cam-a', 1, ' 主席台 ')
    savePresetName(s, 'cam-a', 2, '全景')
    savePresetName(s, 'cam-b', 1, '门口')
    expect(loadPresetNames(s, 'cam-a')).toEqual({ 1: '主席台', 2: '全景' })
    expect(loadPresetNames(s, 'cam-b')).toEqual({ 1: '门口' })
    expect(s.map.has(PRESET_NAMES_PREFIX + 'cam-a')).toBe(true)
  })

  it('an empty name restores the default and the key disappears when nothing is left', () => {
    const s = memory()
    savePresetName(s, 'cam', 3, '讲台')
    expect(savePresetName(s, 'cam', 3, '  ')).toEqual({})
    expect(s.map.size).toBe(0)
  })

  it('names are capped at 12 characters; corrupt or foreign data is ignored', () => {
    const s = memory()
    expect(savePresetName(s, 'cam', 4, '一二三四五六七八九十甲乙丙丁')[4]).toBe('一二三四五六七八九十甲乙')
    s.setItem(PRESET_NAMES_PREFIX + 'x', '{not json')
    expect(loadPresetNames(s, 'x')).toEqual({})
    s.setItem(PRESET_NAMES_PREFIX + 'y', JSON.stringify({ 1: 5, 999: 'far', a: 'b', 2: '好' }))
    expect(loadPresetNames(s, 'y')).toEqual({ 2: '好' })
    expect(loadPresetNames(null, 'y')).toEqual({})
  })
})
