/** Payload of the hub's `siteOnline` / `endpointOnline` pushes on /hubs/console. */
export interface PresenceChange {
  id: string
  online: boolean
}

/**
 * Applies a presence push to a list shown on screen. Returns a new array when a row changed (so a
 * shallowRef sees it) and the same array otherwise (unknown id, or already in that state).
 */
export function applyPresence<T extends { id: string; online: boolean }>(rows: T[], change: PresenceChange): T[] {
  const index = rows.findIndex((r) => r.id === change.id)
  if (index < 0 || rows[index]!.online === change.online) return rows
  const next = rows.slice()
  next[index] = { ...rows[index]!, online: change.online }
  return next
}
