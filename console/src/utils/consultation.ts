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
