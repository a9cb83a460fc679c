import type { OrgUnitNode } from '@/api/types'

/** The tree endpoint may answer with one root or a list of roots (a user sees only their subtree). */
export function asForest(tree: OrgUnitNode[] | OrgUnitNode | null | undefined): OrgUnitNode[] {
  if (!tree) return []
  return Array.isArray(tree) ? tree : [tree]
}

function normalize(text: string): string {
  return text.trim().toLowerCase()
}

/** Case-insensitive substring match on the unit's name; an empty keyword matches everything. */
export function matchesKeyword(node: Pick<OrgUnitNode, 'name'>, keyword: string): boolean {
  const k = normalize(keyword)
  return k === '' || normalize(node.name).includes(k)
}

/**
 * Keeps every unit whose name matches, with its whole subtree (you searched for the township,
 * you want its villages), and the ancestors that lead to a match (so it can be found in context).
 * Returns new nodes; the input is not changed.
 */
export function filterTree(nodes: OrgUnitNode[], keyword: string): OrgUnitNode[] {
  if (normalize(keyword) === '') return nodes
  const out: OrgUnitNode[] = []
  for (const node of nodes) {
    if (matchesKeyword(node, keyword)) {
      out.push(node)
      continue
    }
    const children = filterTree(node.children ?? [], keyword)
    if (children.length > 0) out.push({ ...node, children })
  }
  return out
}

/** Depth-first search for a unit by id. */
export function findNode(nodes: OrgUnitNode[], id: string): OrgUnitNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node
    const found = findNode(node.children ?? [], id)
    if (found) return found
  }
  return undefined
}

/** Units from a root down to `id` (inclusive), for a breadcrumb; empty when not found. */
export function pathTo(nodes: OrgUnitNode[], id: string): OrgUnitNode[] {
  for (const node of nodes) {
    if (node.id === id) return [node]
    const rest = pathTo(node.children ?? [], id)
    if (rest.length > 0) return [node, ...rest]
  }
  return []
}

/** id → name for every unit, to show names in tables that only carry `orgUnitId`. */
export function nameIndex(nodes: OrgUnitNode[], into: Map<string, string> = new Map()): Map<string, string> {
  for (const node of nodes) {
    into.set(node.id, node.name)
    nameIndex(node.children ?? [], into)
  }
  return into
}

/** Ids of a unit and everything below it (the org-tree visibility rule, seen from the client). */
export function subtreeIds(node: OrgUnitNode): string[] {
  const ids = [node.id]
  for (const child of node.children ?? []) ids.push(...subtreeIds(child))
  return ids
}

/** Total number of units in the forest. */
export function countNodes(nodes: OrgUnitNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countNodes(node.children ?? []), 0)
}
