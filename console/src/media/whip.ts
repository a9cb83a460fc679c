/**
 * WHIP (RFC 9725) and WHEP against the hub: the browser makes the offer, POSTs it as application/sdp with its bearer
 * token, applies the 201's answer and keeps the Location to DELETE when it leaves.
 */
export type Door = 'whip' | 'whep'

/** The part of RTCPeerConnection negotiation needs (so tests can pass a stand-in). */
export interface NegotiatingPeer {
  createOffer(): Promise<RTCSessionDescriptionInit>
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void>
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>
  readonly localDescription: { sdp: string } | null
}

export class WhipError extends Error {
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.name = 'WhipError'
    this.status = status
  }
}

/** The door's URL; `site`: a site's browser terminal joins on that site's behalf (its time counts in attendance). */
export function doorUrl(door: Door, roomId: string, site?: string | null): string {
  const base = `/${door}/${encodeURIComponent(roomId)}`
  return site ? `${base}?site=${encodeURIComponent(site)}` : base
}

/** Offers, exchanges and answers; returns the session URL (Location) to DELETE on leaving. */
export async function negotiate(
  door: Door,
  roomId: string,
  token: string,
  pc: NegotiatingPeer,
  doFetch: typeof fetch = fetch,
  site?: string | null,
): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer())
  const offer = pc.localDescription?.sdp
  if (!offer) throw new WhipError(0, 'no local offer')
  const response = await doFetch(doorUrl(door, roomId, site), {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
    body: offer,
  })
  const answer = await response.text()
  if (response.status !== 201) throw new WhipError(response.status, `${door.toUpperCase()} ${response.status}`)
  const location = response.headers.get('Location')
  if (!location) throw new WhipError(response.status, `${door.toUpperCase()} answer without Location`)
  await pc.setRemoteDescription({ type: 'answer', sdp: answer })
  return location
}

/** Leaves a WHIP/WHEP session; a session already gone (404) counts as left. */
export async function leave(location: string, token: string, doFetch: typeof fetch = fetch): Promise<void> {
  try {
    await doFetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })
  } catch {
    // The hub closes the room's legs when the call ends anyway.
  }
}

/** Both directions of a call: the camera published, the room played into a video element. */
export interface CallMedia {
  local: MediaStream
  remote: MediaStream
  /** The peer connection, for its statistics (the tests read both directions from it). */
  peer: RTCPeerConnection
  /**
   * Leaves the room. `roomGone`: the call already ended (the hub closed the room and its sessions), so there is no
   * session left to DELETE — asking would only earn a 404.
   */
  close(roomGone?: boolean): Promise<void>
}

/**
 * Joins a room as one WebRTC leg that both publishes and plays (sendrecv through the WHIP door). One leg per person
 * is what the room's rules are built on: the mixer sends each leg everyone but itself, and the video selector never
 * shows a leg its own picture, so the villager hears and sees the expert — not their own echo and camera.
 */
export async function joinCall(roomId: string, token: string, site?: string | null): Promise<CallMedia> {
  const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 15 } })
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' })
  for (const track of local.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [local] })
  const remote = new MediaStream()
  pc.ontrack = (e) => remote.addTrack(e.track)
  let session: string
  try {
    session = await negotiate('whip', roomId, token, pc, fetch, site)
  } catch (e) {
    pc.close()
    for (const track of local.getTracks()) track.stop()
    throw e
  }
  const media: CallMedia = {
    local,
    remote,
    peer: pc,
    async close(roomGone = false) {
      unregisterCall(media)
      if (!roomGone) await leave(session, token)
      pc.close()
      for (const track of local.getTracks()) track.stop()
    },
  }
  registerCall(media)
  return media
}

// ---- statistics ------------------------------------------------------------------------------------------------

export type MediaKind = 'audio' | 'video'

export interface InboundCounters {
  packetsReceived: number
  bytesReceived: number
  packetsLost: number
  /** Video only (0 for audio). */
  framesDecoded: number
}

export interface OutboundCounters {
  packetsSent: number
  bytesSent: number
}

/** What one call has moved so far, per kind and direction (summed over streams of that kind). */
export interface CallStats {
  connectionState: string
  inbound: Record<MediaKind, InboundCounters>
  outbound: Record<MediaKind, OutboundCounters>
}

/** The fields of an RTCStats entry this module reads (a getStats() report holds many more types). */
export interface RtpStatsEntry {
  type: string
  kind?: string
  mediaType?: string
  packetsReceived?: number
  bytesReceived?: number
  packetsLost?: number
  framesDecoded?: number
  packetsSent?: number
  bytesSent?: number
}

const kindOf = (e: RtpStatsEntry): MediaKind | null => {
  const k = e.kind ?? e.mediaType
  return k === 'audio' || k === 'video' ? k : null
}

/** Shapes a getStats() report into inbound/outbound counters per kind; other entries (candidates, codecs) are ignored. */
export function shapeStats(entries: Iterable<RtpStatsEntry>, connectionState = 'unknown'): CallStats {
  const inbound = (): InboundCounters => ({ packetsReceived: 0, bytesReceived: 0, packetsLost: 0, framesDecoded: 0 })
  const outbound = (): OutboundCounters => ({ packetsSent: 0, bytesSent: 0 })
  const stats: CallStats = { connectionState, inbound: { audio: inbound(), video: inbound() }, outbound: { audio: outbound(), video: outbound() } }
  for (const e of entries) {
    const kind = kindOf(e)
    if (!kind) continue
    if (e.type === 'inbound-rtp') {
      const i = stats.inbound[kind]
      i.packetsReceived += e.packetsReceived ?? 0
      i.bytesReceived += e.bytesReceived ?? 0
      i.packetsLost += e.packetsLost ?? 0
      i.framesDecoded += e.framesDecoded ?? 0
    } else if (e.type === 'outbound-rtp') {
      const o = stats.outbound[kind]
      o.packetsSent += e.packetsSent ?? 0
      o.bytesSent += e.bytesSent ?? 0
    }
  }
  return stats
}

export async function callStats(media: Pick<CallMedia, 'peer'>): Promise<CallStats> {
  const report = await media.peer.getStats()
  return shapeStats(report.values() as Iterable<RtpStatsEntry>, media.peer.connectionState)
}

// The open calls of this page. `window.__videolinkStats()` returns their statistics so browser tests (and a support
// engineer with the devtools open) can check that media flows both ways; it exposes counters only, no media.
const calls = new Set<CallMedia>()

declare global {
  interface Window {
    __videolinkStats?: () => Promise<CallStats[]>
  }
}

function registerCall(media: CallMedia) {
  calls.add(media)
  if (typeof window !== 'undefined') window.__videolinkStats = () => Promise.all([...calls].map((c) => callStats(c)))
}

function unregisterCall(media: CallMedia) {
  calls.delete(media)
}
