import type { KeyValueStorage } from '@/auth/store'

/** What a kiosk remembers: which site it stands at and the credential the hub issued for it. */
export interface KioskIdentity {
  siteId: string
  token: string
}

export const KIOSK_STORAGE_KEY = 'videolink.kiosk'

/**
 * The first open is `/kiosk?site=<siteId>&token=<kiosk token>` (issue 9); the pair is remembered so
 * the kiosk survives reboots without a keyboard. A new pair in the URL replaces the stored one.
 */
export function resolveKioskIdentity(query: Record<string, unknown>, storage: KeyValueStorage | null): KioskIdentity | null {
  const site = typeof query.site === 'string' ? query.site.trim() : ''
  const token = typeof query.token === 'string' ? query.token.trim() : ''
  if (site && token) {
    const identity = { siteId: site, token }
    storage?.setItem(KIOSK_STORAGE_KEY, JSON.stringify(identity))
    return identity
  }
  const raw = storage?.getItem(KIOSK_STORAGE_KEY)
  if (!raw) return null
  try {
    const parsed = JSON.parse(raw) as Partial<KioskIdentity>
    return typeof parsed.siteId === 'string' && typeof parsed.token === 'string' && parsed.siteId && parsed.token
      ? { siteId: parsed.siteId, token: parsed.token }
      : null
  } catch {
    return null
  }
}

export type CategoryIcon = 'admin' | 'medical' | 'legal' | 'agri' | 'employment' | 'other'

/** Picks an icon for a service category by its code or, failing that, its Chinese name. */
export function categoryIcon(code: string, name: string): CategoryIcon {
  const c = code.toLowerCase()
  if (/admin|gov|xingzheng/.test(c) || name.includes('行政') || name.includes('政务')) return 'admin'
  if (/med|health|yiliao/.test(c) || name.includes('医')) return 'medical'
  if (/legal|law|falv/.test(c) || name.includes('法')) return 'legal'
  if (/agri|farm|nongji/.test(c) || name.includes('农')) return 'agri'
  if (/employ|job|jiuye/.test(c) || name.includes('就业') || name.includes('招聘')) return 'employment'
  return 'other'
}
