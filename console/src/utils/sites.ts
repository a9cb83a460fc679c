import { SITE_KINDS, type Site, type SiteKind } from '@/api/types'

export interface KindCount {
  kind: SiteKind
  total: number
  online: number
}

/** Sites per kind in the fixed SITE_KINDS order, zero-filled; unknown kinds are ignored. */
export function countByKind(sites: Pick<Site, 'kind' | 'online'>[]): KindCount[] {
  const counts = new Map<string, KindCount>(SITE_KINDS.map((kind) => [kind, { kind, total: 0, online: 0 }]))
  for (const site of sites) {
    const c = counts.get(site.kind)
    if (!c) continue
    c.total += 1
    if (site.online) c.online += 1
  }
  return SITE_KINDS.map((kind) => counts.get(kind)!)
}

export function onlineSummary(sites: Pick<Site, 'online'>[]): { total: number; online: number; offline: number } {
  const online = sites.filter((s) => s.online).length
  return { total: sites.length, online, offline: sites.length - online }
}

/** Element Plus tag type per site kind, so kinds are told apart at a glance. */
export function kindTagType(kind: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  switch (kind) {
    case 'DistrictCentre':
      return 'danger'
    case 'TownshipCentre':
      return 'warning'
    case 'VillageKiosk':
      return 'success'
    case 'ExpertStation':
      return 'primary'
    default:
      return 'info'
  }
}
