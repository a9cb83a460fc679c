import type { DialRequest } from '@/api/rooms'

/**
 * A dial-out as the chair follows it. The hub answers `POST /rooms/{id}/legs` only once the call is answered or has
 * failed, so "ringing" is the time the request is in flight; a failure keeps the hub's reason and can be retried.
 */
export type DialState = 'ringing' | 'answered' | 'failed' | 'retrying'

export interface DialAttempt {
  key: number
  target: string
  request: DialRequest
  state: DialState
  reason: string
  attempts: number
  legId: string | null
}

/** The newest attempts first, at most `keep` (answered ones leave first: their leg is in the participant list). */
export function trimAttempts(list: DialAttempt[], keep = 5): DialAttempt[] {
  if (list.length <= keep) return list
  const out = list.slice()
  while (out.length > keep) {
    const answered = out.map((a) => a.state).lastIndexOf('answered')
    out.splice(answered >= 0 ? answered : out.length - 1, 1)
  }
  return out
}

/** Element Plus tag colour of a dial state. */
export function dialTagType(state: DialState): 'success' | 'danger' | 'warning' {
  return state === 'answered' ? 'success' : state === 'failed' ? 'danger' : 'warning'
}
