import type { ApiClient } from './http'

// Shapes of the rooms and conference-control API (issue 5 item 4; hub/VideoLink.Hub/Api/RoomsApi.cs and the
// conference routes beside it). The hub may answer with the plain room (legs `{id, role, state}`) before the
// conference engine lands, or with `live` (mode, main venue, roll call, polling, legs with media stats) after it:
// `normalizeRoom` turns either into one shape for the pages.

export const VIDEO_MODES = ['MainVenue', 'VoiceActivated'] as const
export type VideoMode = (typeof VIDEO_MODES)[number]

export const POLLING_MIN_SECONDS = 2
export const POLLING_MAX_SECONDS = 3600
export const POLLING_DEFAULT_SECONDS = 15

export interface LegStats {
  inboundKbps: number
  outboundKbps: number
  packetsReceived?: number
  packetsLost?: number
  lossPercent: number
  jitterMs: number
  rttMs: number | null
}

/** A leg as the hub sends it (all fields optional: older hubs send only id, role and state). */
export interface LegWire {
  id: string
  kind?: string
  role?: string
  displayName?: string
  endpointId?: string | null
  siteId?: string | null
  state?: string
  joinedUtc?: string
  sendsVideo?: boolean
  receivesVideo?: boolean
  muted?: boolean
  level?: number
  watching?: string | null
  stats?: Partial<LegStats> | null
}

export interface PollingWire {
  legIds: string[]
  intervalSeconds: number
  current?: string | null
}

export interface RoomLiveWire {
  mode?: VideoMode | string
  mainVenue?: string | null
  rollCall?: string | null
  polling?: PollingWire | null
  featured?: string | null
  activeSpeaker?: string | null
  locked?: boolean
  hasPin?: boolean
  legs?: LegWire[]
}

export interface RoomWire {
  id: string
  name: string
  sipNumber: string
  orgUnitId: string
  whipUrl?: string
  whepUrl?: string
  legs?: LegWire[]
  live?: RoomLiveWire | null
}

/** A participant as the pages show it. */
export interface Leg {
  id: string
  kind: string
  displayName: string
  endpointId: string | null
  siteId: string | null
  state: string
  joinedUtc: string | null
  sendsVideo: boolean
  muted: boolean
  level: number
  stats: LegStats | null
}

export interface Room {
  id: string
  name: string
  sipNumber: string
  orgUnitId: string
  whipUrl: string
  whepUrl: string
  /** false when the hub does not report chair state yet (no conference engine). */
  controllable: boolean
  mode: VideoMode | string
  mainVenue: string | null
  rollCall: string | null
  polling: PollingWire | null
  activeSpeaker: string | null
  locked: boolean
  /** A PIN is asked of anyone joining (the PIN itself is never sent back). */
  hasPin: boolean
  legs: Leg[]
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

export function normalizeStats(stats: Partial<LegStats> | null | undefined): LegStats | null {
  if (!stats) return null
  return {
    inboundKbps: num(stats.inboundKbps),
    outboundKbps: num(stats.outboundKbps),
    packetsReceived: stats.packetsReceived,
    packetsLost: stats.packetsLost,
    lossPercent: num(stats.lossPercent),
    jitterMs: num(stats.jitterMs),
    rttMs: typeof stats.rttMs === 'number' && Number.isFinite(stats.rttMs) ? stats.rttMs : null,
  }
}

export function normalizeLeg(leg: LegWire): Leg {
  return {
    id: leg.id,
    kind: leg.kind ?? (leg.role ? 'WebRtc' : 'Unknown'),
    displayName: leg.displayName || leg.id.slice(0, 8),
    endpointId: leg.endpointId ?? null,
    siteId: leg.siteId ?? null,
    state: leg.state ?? 'Connected',
    joinedUtc: leg.joinedUtc ?? null,
    sendsVideo: leg.sendsVideo ?? leg.role !== 'Subscriber',
    muted: leg.muted ?? false,
    level: num(leg.level),
    stats: normalizeStats(leg.stats),
  }
}

export function normalizeRoom(room: RoomWire): Room {
  const live = room.live ?? null
  const legs = (live?.legs ?? room.legs ?? []).map(normalizeLeg)
  return {
    id: room.id,
    name: room.name,
    sipNumber: room.sipNumber,
    orgUnitId: room.orgUnitId,
    whipUrl: room.whipUrl ?? '',
    whepUrl: room.whepUrl ?? '',
    controllable: live !== null,
    mode: live?.mode ?? 'MainVenue',
    mainVenue: live?.mainVenue ?? null,
    rollCall: live?.rollCall ?? null,
    polling: live?.polling ?? null,
    activeSpeaker: live?.activeSpeaker ?? null,
    locked: live?.locked ?? false,
    hasPin: live?.hasPin ?? false,
    legs,
  }
}

export interface CreateRoomRequest {
  name: string
  orgUnitId?: string | null
}

/** Dial-out: a SIP endpoint of the directory, or a SIP URI. */
export type DialRequest = { endpointId: string } | { sipUri: string }

export interface DialResult {
  id: string
  kind?: string
  displayName?: string
  callId?: string
}

/** A room PIN as the hub accepts it: 4 to 8 digits. */
export function isRoomPin(text: string): boolean {
  return /^\d{4,8}$/.test(text)
}

/** `sip:user@host` — what the hub accepts for a dial-out by URI. */
export function isSipUri(text: string): boolean {
  return /^sip:[^@\s]+@[^@\s]+$/i.test(text.trim())
}

const room = (id: string) => `/api/rooms/${encodeURIComponent(id)}`
const leg = (id: string, legId: string) => `${room(id)}/legs/${encodeURIComponent(legId)}`

/** Typed calls for rooms and the chair's controls. */
export function roomsApi(api: ApiClient) {
  return {
    list: async () => (await api.get<RoomWire[]>('/api/rooms')).map(normalizeRoom),
    get: async (id: string) => normalizeRoom(await api.get<RoomWire>(room(id))),
    create: async (req: CreateRoomRequest) => normalizeRoom(await api.post<RoomWire>('/api/rooms', req)),
    end: (id: string) => api.del(room(id)),
    dial: (id: string, req: DialRequest) => api.post<DialResult>(`${room(id)}/legs`, req),
    hangUp: (id: string, legId: string) => api.del(leg(id, legId)),
    mute: (id: string, legId: string) => api.post<void>(`${leg(id, legId)}/mute`),
    unmute: (id: string, legId: string) => api.post<void>(`${leg(id, legId)}/unmute`),
    setMainVenue: (id: string, legId: string) => api.put<void>(`${room(id)}/main-venue`, { legId }),
    rollCall: (id: string, legId: string) => api.post<void>(`${room(id)}/roll-call`, { legId }),
    endRollCall: (id: string) => api.del(`${room(id)}/roll-call`),
    startPolling: (id: string, legIds: string[], intervalSeconds: number) => api.post<void>(`${room(id)}/polling`, { legIds, intervalSeconds }),
    stopPolling: (id: string) => api.del(`${room(id)}/polling`),
    setVideoMode: (id: string, mode: VideoMode) => api.put<void>(`${room(id)}/video-mode`, { mode }),
    setLocked: (id: string, locked: boolean) => api.put<void>(`${room(id)}/lock`, { locked }),
    /** 4 to 8 digits; `null` removes the PIN. */
    setPin: (id: string, pin: string | null) => api.put<void>(`${room(id)}/pin`, { pin }),
  }
}

export type RoomsApi = ReturnType<typeof roomsApi>
