import type { KeyValueStorage } from '@/auth/store'

/** Camera preset names are the operator's own labels ("主席台", "全景"), kept per device in this browser. */
export const PRESET_NAMES_PREFIX = 'videolink.presetNames.'
export const PRESET_NAME_MAX = 12

export type PresetNames = Record<number, string>

export function loadPresetNames(storage: KeyValueStorage | null, deviceId: string): PresetNames {
  const raw = storage?.getItem(PRESET_NAMES_PREFIX + deviceId)
  if (!raw) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    const out: PresetNames = {}
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      const n = Number(k)
      if (Number.isInteger(n) && n >= 0 && n <= 255 && typeof v === 'string' && v.trim() !== '') out[n] = v.trim().slice(0, PRESET_NAME_MAX)
    }
    return out
  } catch {
    return {}
  }
}

/** Sets (or, with an empty name, clears) one preset's name; returns the new map. */
export function savePresetName(storage: KeyValueStorage | null, deviceId: string, preset: number, name: string): PresetNames {
  const names = { ...loadPresetNames(storage, deviceId) }
  const clean = name.trim().slice(0, PRESET_NAME_MAX)
  if (clean === '') delete names[preset]
  else names[preset] = clean
  try {
    if (Object.keys(names).length === 0) storage?.removeItem(PRESET_NAMES_PREFIX + deviceId)
    else storage?.setItem(PRESET_NAMES_PREFIX + deviceId, JSON.stringify(names))
  } catch {
    // storage full or disabled: the name still applies for this page
  }
  return names
}

export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}
