import type { OrgUnitNode, Site } from '@/api/types'

/** A node of the org-tree-with-sites picker: org units are groups, sites are the leaves you pick. */
export interface SitePickNode {
  value: string
  label: string
  isSite: boolean
  children?: SitePickNode[]
  disabled?: boolean
}

export const ORG_PREFIX = 'org:'

/**
 * The org forest with each unit's sites as leaves, units without any site below them left out. Checking a unit in
 * a multi-select checks every site below it ("all villages of this township").
 */
export function siteTree(forest: OrgUnitNode[], sites: Site[]): SitePickNode[] {
  const byUnit = new Map<string, Site[]>()
  for (const s of sites) {
    const list = byUnit.get(s.orgUnitId) ?? []
    list.push(s)
    byUnit.set(s.orgUnitId, list)
  }
  const build = (node: OrgUnitNode): SitePickNode | null => {
    const children: SitePickNode[] = []
    for (const child of node.children ?? []) {
      const built = build(child)
      if (built) children.push(built)
    }
    for (const s of byUnit.get(node.id) ?? []) children.push({ value: s.id, label: s.name, isSite: true })
    return children.length ? { value: ORG_PREFIX + node.id, label: node.name, isSite: false, children } : null
  }
  return forest.map(build).filter((n): n is SitePickNode => n !== null)
}

/** Picked values → site ids only (units are containers), in order, without duplicates. */
export function pickedSiteIds(values: string[]): string[] {
  return [...new Set(values.filter((v) => !v.startsWith(ORG_PREFIX)))]
}

/** id → site, for names in tables. */
export function siteIndex(sites: Site[]): Map<string, Site> {
  return new Map(sites.map((s) => [s.id, s]))
}

/** The SIP endpoints a chair can dial, as org tree → site → endpoint (only sites with a SIP endpoint). */
export function endpointTree(forest: OrgUnitNode[], sites: Site[], endpoints: Array<{ id: string; siteId: string; displayName: string; sipUser?: string | null; kind: string; online: boolean }>): SitePickNode[] {
  const bySite = new Map<string, SitePickNode[]>()
  for (const e of endpoints) {
    if (e.kind !== 'Sip' || !e.sipUser) continue
    const list = bySite.get(e.siteId) ?? []
    list.push({ value: e.id, label: `${e.displayName} (${e.sipUser})${e.online ? '' : ' ·'}`, isSite: false })
    bySite.set(e.siteId, list)
  }
  const withEndpoints = sites.filter((s) => bySite.has(s.id))
  const relabel = (nodes: SitePickNode[]): SitePickNode[] =>
    nodes.map((n) =>
      n.isSite
        ? { value: `site:${n.value}`, label: n.label, isSite: true, disabled: true, children: bySite.get(n.value) ?? [] }
        : { ...n, disabled: true, children: relabel(n.children ?? []) },
    )
  return relabel(siteTree(forest, withEndpoints))
}
