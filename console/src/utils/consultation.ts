/** What the kiosk screen shows for a request, from its record's status and outcome. */
export type KioskPhase = 'idle' | 'waiting' | 'inCall' | 'rating' | 'callback' | 'ended'

export function kioskPhase(status: string, outcome: string | null | undefined): KioskPhase {
  if (status === 'Queued' || status === 'Ringing') return 'waiting'
  if (status === 'InCall') return 'inCall'
  if (status === 'Callback' || outcome === 'Callback' || outcome === 'NoExpert') return 'callback'
  if (outcome === 'Answered') return 'rating'
  return 'ended'
}

/** Whole minutes to wait, rounded up, at least 1 while anyone is ahead; 0 when it is about to ring. */
export function waitMinutes(seconds: number | null | undefined): number {
  if (!seconds || seconds <= 0) return 0
  return Math.max(1, Math.ceil(seconds / 60))
}

/** Seconds left on an offer's ring, never negative. */
export function ringSecondsLeft(expiresUtc: string, now: Date): number {
  const left = Math.ceil((Date.parse(expiresUtc) - now.getTime()) / 1000)
  return Number.isFinite(left) && left > 0 ? left : 0
}

/** What the kiosk must do with its media after an update of its request. */
export type KioskMediaAction = 'none' | 'join' | 'leave' | 'rejoin'

export interface KioskStep {
  phase: KioskPhase
  /** The expert handed the call on: the villager stays in the room and waits for the next expert. */
  transferring: boolean
  media: KioskMediaAction
}

/**
 * One update of the kiosk's request (a push or a poll), given the room the kiosk is in now (null: none). A request
 * that goes back to the queue while the kiosk is in its room is a transfer: the kiosk stays, so the next expert
 * answers into the same room; a call that ends or closes leaves the room.
 */
export function kioskStep(inRoom: string | null, update: { status: string; outcome?: string | null; roomId?: string | null }): KioskStep {
  const phase = kioskPhase(update.status, update.outcome)
  if (phase === 'waiting') {
    return inRoom ? { phase: 'inCall', transferring: true, media: 'none' } : { phase, transferring: false, media: 'none' }
  }
  if (phase === 'inCall') {
    const room = update.roomId ?? null
    if (!room) return { phase: inRoom ? 'inCall' : 'waiting', transferring: false, media: 'none' }
    return { phase, transferring: false, media: inRoom === room ? 'none' : inRoom ? 'rejoin' : 'join' }
  }
  return { phase, transferring: false, media: inRoom ? 'leave' : 'none' }
}
