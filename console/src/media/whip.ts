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

/** Offers, exchanges and answers; returns the session URL (Location) to DELETE on leaving. */
export async function negotiate(door: Door, roomId: string, token: string, pc: NegotiatingPeer, doFetch: typeof fetch = fetch): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer())
  const offer = pc.localDescription?.sdp
  if (!offer) throw new WhipError(0, 'no local offer')
  const response = await doFetch(`/${door}/${encodeURIComponent(roomId)}`, {
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
  close(): Promise<void>
}

export async function joinCall(roomId: string, token: string): Promise<CallMedia> {
  const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 15 } })
  const pub = new RTCPeerConnection({ bundlePolicy: 'max-bundle' })
  for (const track of local.getTracks()) pub.addTransceiver(track, { direction: 'sendonly', streams: [local] })
  const sub = new RTCPeerConnection({ bundlePolicy: 'max-bundle' })
  sub.addTransceiver('audio', { direction: 'recvonly' })
  sub.addTransceiver('video', { direction: 'recvonly' })
  const remote = new MediaStream()
  sub.ontrack = (e) => remote.addTrack(e.track)
  const sessions = [await negotiate('whip', roomId, token, pub), await negotiate('whep', roomId, token, sub)]
  return {
    local,
    remote,
    async close() {
      await Promise.all(sessions.map((s) => leave(s, token)))
      pub.close()
      sub.close()
      for (const track of local.getTracks()) track.stop()
    },
  }
}
