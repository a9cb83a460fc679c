import type { ApiClient } from './http'

// The site terminal (会场终端, issue 8): a township or village joins the meeting it was invited to from a browser.

export interface LiveMeetingSite {
  id: string
  name: string
}

/** A booked meeting running now that invited at least one site the signed-in user can see. */
export interface LiveMeeting {
  bookingId: string
  title: string
  roomId: string
  startUtc: string
  endUtc: string
  whipUrl: string
  /** Only the caller's own invited sites (the hub never lists a neighbour's). */
  sites: LiveMeetingSite[]
}

export function terminalApi(api: ApiClient) {
  return {
    live: () => api.get<LiveMeeting[]>('/api/meetings/live'),
  }
}

/** Minutes left until the end, never negative (0 once the booked end has passed). */
export function minutesLeft(meeting: Pick<LiveMeeting, 'endUtc'>, nowMs: number = Date.now()): number {
  const end = Date.parse(meeting.endUtc)
  return Number.isNaN(end) ? 0 : Math.max(0, Math.ceil((end - nowMs) / 60_000))
}

/**
 * Which site to join as: the one the user picked if it is still invited, else the only one; null when there is a
 * choice to make (or nothing to join).
 */
export function siteToJoin(meeting: Pick<LiveMeeting, 'sites'>, picked: string | null | undefined): string | null {
  if (picked && meeting.sites.some((s) => s.id === picked)) return picked
  return meeting.sites.length === 1 ? meeting.sites[0]!.id : null
}
